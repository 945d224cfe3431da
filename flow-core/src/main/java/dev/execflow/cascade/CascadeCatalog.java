package dev.execflow.cascade;

import dev.execflow.model.ExecutionData;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The cascade definitions of a directory (or a classpath folder), indexed by {@code cascade_id}.
 *
 * <p>Loading never fails because of one bad file: unreadable or invalid files and duplicate ids
 * are listed in {@link #problems()} (with their file names) and the rest is served. The one-call
 * way to overlay a session on its cascade:
 *
 * <pre>{@code
 * CascadeCatalog catalog = CascadeCatalog.load(Path.of("cascades"));
 * catalog.problems().forEach(p -> System.err.println("warning: " + p));
 * ExecutionData overlaid = catalog.overlay(executionData); // unchanged when no definition matches
 * String body = catalog.definitionsJson();                  // GET /api/cascade-definitions
 * }</pre>
 *
 * <p>Which files: the directory's own regular files named {@code *.json}, {@code *.yaml} or
 * {@code *.yml} (not subdirectories, not hidden files), in file-name order, at most {@link
 * #MAX_FILES}. When two files declare the same {@code cascade_id}, the first in file-name order
 * wins and the other is reported. Immutable and thread-safe.
 */
public final class CascadeCatalog {

  /** Most definition files loaded from one directory; more are reported, not read. */
  public static final int MAX_FILES = 1000;

  /** The classpath folder holding the bundled sample definitions. */
  public static final String SAMPLES_FOLDER = "dev/execflow/samples/cascades/";

  /** A catalog without definitions: {@link #overlay} returns its input unchanged. */
  public static final CascadeCatalog EMPTY = new CascadeCatalog(Map.of(), List.of(), List.of());

  private final Map<String, CascadeDefinition> byId;
  private final List<SpecProblem> problems;
  private final List<SpecProblem> warnings;

  private CascadeCatalog(Map<String, CascadeDefinition> byId, List<SpecProblem> problems,
      List<SpecProblem> warnings) {
    this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
    this.problems = List.copyOf(problems);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Loads the definitions in {@code directory}; problems name files relative to it.
   *
   * @throws CascadeDefinitionException when {@code directory} is not a readable directory (a bad file
   *     inside it is only a {@link #problems() problem})
   */
  public static CascadeCatalog load(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw CascadeDefinitionReader.error(directory.toString(), null,
          Files.exists(directory) ? "not a directory of cascade definitions" : "no such directory");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      for (Path file : stream) {
        String name = file.getFileName().toString();
        if (!name.startsWith(".") && CascadeDefinitionReader.Format.forFileName(name) != null
            && Files.isRegularFile(file)) {
          files.add(file);
        }
      }
    } catch (IOException e) {
      throw new CascadeDefinitionException(new SpecProblem(directory.toString(), null, "cannot list: " + e), e);
    }
    files.sort(null);
    Builder builder = new Builder();
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      String name = file.getFileName().toString();
      if (i == MAX_FILES) {
        builder.problems.add(new SpecProblem(directory.toString(), null, (files.size() - MAX_FILES)
            + " more definition files not loaded (limit " + MAX_FILES + "), from " + name + " on"));
        break;
      }
      builder.add(name, () -> CascadeDefinitionReader.read(file, name));
    }
    return builder.build();
  }

  /**
   * Loads the definitions in a classpath folder (e.g. {@value #SAMPLES_FOLDER}), from directories
   * and jars alike; problems name resources by their path.
   */
  public static CascadeCatalog fromClasspath(String folder, ClassLoader loader) {
    String prefix = folder.endsWith("/") ? folder : folder + "/";
    Builder builder = new Builder();
    TreeSet<String> resources = new TreeSet<>();
    try {
      Enumeration<URL> roots = loader.getResources(prefix);
      while (roots.hasMoreElements()) {
        listResources(roots.nextElement(), prefix, resources);
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      builder.problems.add(new SpecProblem(prefix, null, "cannot list classpath folder: " + e));
    }
    int count = 0;
    for (String resource : resources) {
      if (++count > MAX_FILES) {
        builder.problems.add(new SpecProblem(prefix, null, "more than " + MAX_FILES
            + " definitions; the rest is not loaded"));
        break;
      }
      CascadeDefinitionReader.Format format =
          CascadeDefinitionReader.Format.forFileName(resource.substring(resource.lastIndexOf('/') + 1));
      builder.add(resource, () -> {
        try (InputStream in = loader.getResourceAsStream(resource)) {
          if (in == null) {
            throw CascadeDefinitionReader.error(resource, null, "resource disappeared");
          }
          return CascadeDefinitionReader.read(in, format, resource);
        } catch (IOException e) {
          throw new CascadeDefinitionException(new SpecProblem(resource, null, "cannot read: " + e), e);
        }
      });
    }
    return builder.build();
  }

  /** {@link #fromClasspath(String, ClassLoader)} with this library's class loader. */
  public static CascadeCatalog fromClasspath(String folder) {
    return fromClasspath(folder, CascadeCatalog.class.getClassLoader());
  }

  /** The sample definitions bundled with execflow (classpath folder {@value #SAMPLES_FOLDER}). */
  public static CascadeCatalog bundledSamples() {
    return fromClasspath(SAMPLES_FOLDER);
  }

  /**
   * A catalog of definitions built in code; a repeated {@code cascade_id} is a {@link
   * #problems() problem}, the first one wins.
   */
  public static CascadeCatalog of(Collection<CascadeDefinition> specs) {
    Builder builder = new Builder();
    for (CascadeDefinition spec : specs) {
      builder.add(spec.source() == null ? spec.cascadeId() : spec.source(),
          () -> new SpecReadResult(spec, List.of()));
    }
    return builder.build();
  }

  /** The definition of {@code cascadeId}, if loaded. */
  public Optional<CascadeDefinition> find(String cascadeId) {
    return cascadeId == null ? Optional.empty() : Optional.ofNullable(byId.get(cascadeId));
  }

  /** The loaded definitions, ordered by {@code cascade_id}. */
  public List<CascadeDefinition> specs() {
    return List.copyOf(byId.values());
  }

  /** How many definitions were loaded. */
  public int size() {
    return byId.size();
  }

  /**
   * Files that were not loaded (unreadable, invalid, oversized, YAML without the YAML library) and
   * duplicate ids, one entry each, naming the file.
   */
  public List<SpecProblem> problems() {
    return problems;
  }

  /** Warnings of the definitions that were loaded (unknown keys, dangling handoffs...). */
  public List<SpecProblem> warnings() {
    return warnings;
  }

  /**
   * The body of the seed's {@code GET /api/cascade-definitions}: a JSON array of the definitions
   * ordered by {@code cascade_id}, in the shape {@link CascadeDefinitionJson} documents (first-generation
   * names: {@code cascade_id}, {@code description}, {@code phases[]} with {@code name},
   * {@code rules}, {@code soundings}, {@code wards}, {@code handoffs}).
   */
  public String definitionsJson() {
    return CascadeDefinitionJson.writeAll(byId.values());
  }

  /**
   * Overlays {@code data} on the definition of its {@code cascadeId} ({@link
   * ExecutionOverlay#apply}); returns {@code data} unchanged when the session has no cascade id or
   * the catalog has no such definition.
   */
  public ExecutionData overlay(ExecutionData data) {
    return find(data.cascadeId()).map(spec -> ExecutionOverlay.apply(data, spec)).orElse(data);
  }

  private static void listResources(URL root, String prefix, TreeSet<String> out)
      throws IOException, URISyntaxException {
    if ("file".equals(root.getProtocol())) {
      Path dir = Paths.get(root.toURI());
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        for (Path file : stream) {
          String name = file.getFileName().toString();
          if (!name.startsWith(".") && CascadeDefinitionReader.Format.forFileName(name) != null
              && Files.isRegularFile(file)) {
            out.add(prefix + name);
          }
        }
      }
    } else if ("jar".equals(root.getProtocol())) {
      URLConnection connection = root.openConnection();
      if (connection instanceof JarURLConnection) {
        JarURLConnection jarConnection = (JarURLConnection) connection;
        jarConnection.setUseCaches(false);
        try (JarFile jar = jarConnection.getJarFile()) {
          Enumeration<JarEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            String rest = name.startsWith(prefix) ? name.substring(prefix.length()) : null;
            if (rest != null && !rest.isEmpty() && !rest.contains("/") && !rest.startsWith(".")
                && CascadeDefinitionReader.Format.forFileName(rest) != null) {
              out.add(name);
            }
          }
        }
      }
    }
  }

  /** Collects definitions, keeping the first of each id and reporting the rest. */
  private static final class Builder {
    private final Map<String, CascadeDefinition> byId = new LinkedHashMap<>();
    private final Map<String, String> sourceOf = new LinkedHashMap<>();
    private final List<SpecProblem> problems = new ArrayList<>();
    private final List<SpecProblem> warnings = new ArrayList<>();

    interface Load {
      SpecReadResult get();
    }

    void add(String source, Load load) {
      SpecReadResult result;
      try {
        result = load.get();
      } catch (CascadeDefinitionException e) {
        problems.add(e.problem());
        return;
      } catch (RuntimeException e) {
        // one broken file must not take the others down; keep what went wrong with its name
        problems.add(new SpecProblem(source, null, "cannot load: " + e));
        return;
      }
      String id = result.spec().cascadeId();
      String earlier = sourceOf.putIfAbsent(id, source);
      if (earlier != null) {
        problems.add(new SpecProblem(source, "cascade_id", "duplicate cascade_id '" + id
            + "', already defined by " + earlier + "; this definition is ignored"));
        return;
      }
      byId.put(id, result.spec());
      warnings.addAll(result.warnings());
    }

    CascadeCatalog build() {
      return new CascadeCatalog(byId, problems, warnings);
    }
  }
}
