package dev.execflow.cascade;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a cascade definition from JSON or YAML, in either generation of the original format
 * ({@code phases}/{@code soundings}, or the later {@code cells}/{@code candidates}).
 *
 * <pre>{@code
 * SpecReadResult result = CascadeDefinitionReader.read(Path.of("cascades/blog_flow.yaml"));
 * CascadeDefinition spec = result.spec();
 * result.warnings().forEach(w -> log.warn("{}", w)); // e.g. "blog_flow.yaml: phases[0]: unknown key 'colour' ignored"
 * }</pre>
 *
 * <p>What is accepted: {@code cascade_id} (required), {@code description}, and {@code phases} (or
 * {@code cells}), each with {@code name} (required, unique), {@code instructions}, {@code rules}
 * ({@code max_turns}, {@code max_attempts}, {@code loop_until}), {@code soundings} (or {@code
 * candidates}: {@code factor}, {@code evaluator_instructions}, {@code mode}, {@code reforge}),
 * {@code reforge} ({@code steps}, {@code factor_per_step}, {@code threshold}; nested in the
 * soundings as the original does, or on the phase), {@code wards} ({@code pre}, {@code post},
 * {@code turn}: lists of {@code {validator, mode}} or validator names) and {@code handoffs} (phase
 * names or {@code {target, description}}). JSON {@code null} counts as absent.
 *
 * <p>Errors (a {@link CascadeDefinitionException} naming file and field): invalid JSON/YAML, a file over
 * {@link #MAX_BYTES}, an empty file, a missing {@code cascade_id}/{@code phases}/{@code name}, a
 * known key of the wrong type, duplicate phase names, a factor over {@link #MAX_FACTOR} or reforge
 * steps over {@link #MAX_REFORGE_STEPS} (the overlay draws that many attempts). Warnings (counted
 * in {@link SpecReadResult#warnings()}): unknown keys, a handoff to a phase the cascade does not
 * declare, the same handoff twice, no phases at all. Keys the original format defines but the
 * flow view does not use ({@code tackle}, {@code model}, {@code output_schema}, ...) are skipped
 * without a warning. Handoff cycles are legal (loops and retries) and not reported.
 *
 * <p>YAML needs {@code com.fasterxml.jackson.dataformat:jackson-dataformat-yaml} on the classpath
 * (an optional dependency of flow-core); without it JSON still works and a YAML file gets a clear
 * error.
 */
public final class CascadeDefinitionReader {

  /** Largest definition file read (2 MiB); bigger files are refused, not read. */
  public static final long MAX_BYTES = 2L * 1024 * 1024;

  /** Largest soundings factor accepted (the overlay draws one attempt per sounding). */
  public static final int MAX_FACTOR = 1000;

  /** Largest number of reforge steps accepted (the overlay draws one entry per step). */
  public static final int MAX_REFORGE_STEPS = 1000;

  /** The file formats of definitions. */
  public enum Format {
    JSON,
    YAML;

    /** The format of a file by its name ({@code .json}, {@code .yaml}, {@code .yml}), or null. */
    public static Format forFileName(String fileName) {
      String lower = fileName.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".json")) {
        return JSON;
      }
      if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
        return YAML;
      }
      return null;
    }
  }

  private static final ObjectMapper JSON_MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final String YAML_CLASS = "com.fasterxml.jackson.dataformat.yaml.YAMLFactory";

  private CascadeDefinitionReader() {}

  /**
   * Reads the definition in {@code file}; the format comes from the file name ({@code .json},
   * {@code .yaml}, {@code .yml}). Errors name the file as given.
   *
   * @throws CascadeDefinitionException when the file cannot be read or is not a valid definition
   */
  public static SpecReadResult read(Path file) {
    return read(file, file.toString());
  }

  /** Like {@link #read(Path)}, naming the file {@code source} in errors and warnings. */
  static SpecReadResult read(Path file, String source) {
    Format format = Format.forFileName(file.getFileName().toString());
    if (format == null) {
      throw error(source, null, "not a definition file: expected a name ending in .json, .yaml or .yml");
    }
    byte[] bytes;
    try {
      if (!Files.isRegularFile(file)) {
        throw error(source, null, Files.exists(file) ? "not a regular file" : "no such file");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw tooBig(source, size);
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes = readBounded(in, source);
      }
    } catch (IOException e) {
      throw new CascadeDefinitionException(new SpecProblem(source, null, "cannot read: " + e), e);
    }
    return parse(bytes, format, source);
  }

  /**
   * Reads a definition from a stream (e.g. a classpath resource), at most {@link #MAX_BYTES}; the
   * stream is not closed.
   *
   * @throws CascadeDefinitionException when the stream fails or does not hold a valid definition
   */
  public static SpecReadResult read(InputStream in, Format format, String source) {
    byte[] bytes;
    try {
      bytes = readBounded(in, source);
    } catch (IOException e) {
      throw new CascadeDefinitionException(new SpecProblem(source, null, "cannot read: " + e), e);
    }
    return parse(bytes, format, source);
  }

  /**
   * Reads a definition held in a string.
   *
   * <pre>{@code
   * CascadeDefinition spec = CascadeDefinitionReader.read(
   *     "{\"cascade_id\": \"hello\", \"phases\": [{\"name\": \"greet\"}]}", Format.JSON, "inline").spec();
   * }</pre>
   *
   * @param source how errors name it (a file name, "inline"...), may be null
   * @throws CascadeDefinitionException when it is not a valid definition
   */
  public static SpecReadResult read(String text, Format format, String source) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BYTES) {
      throw tooBig(source, bytes.length);
    }
    return parse(bytes, format, source);
  }

  /** Whether YAML definitions can be read (jackson-dataformat-yaml is on the classpath). */
  public static boolean yamlAvailable() {
    try {
      Class.forName(YAML_CLASS, false, CascadeDefinitionReader.class.getClassLoader());
      Class.forName("org.yaml.snakeyaml.LoaderOptions", false, CascadeDefinitionReader.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static byte[] readBounded(InputStream in, String source) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > MAX_BYTES) {
        // don't keep reading a stream that may never end: the size is only "more than the limit"
        throw tooBig(source, total);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static CascadeDefinitionException tooBig(String source, long size) {
    String what = size > MAX_BYTES + 8192 ? String.format(Locale.ROOT, "%.1f MB", size / 1048576.0)
        : "more than " + (MAX_BYTES / 1048576) + " MB";
    return error(source, null, "file is " + what + ", over the " + (MAX_BYTES / 1048576)
        + " MB limit for a cascade definition; refusing to read it");
  }

  private static SpecReadResult parse(byte[] bytes, Format format, String source) {
    ObjectMapper mapper;
    if (format == Format.YAML) {
      if (!yamlAvailable()) {
        throw error(source, null, "reading YAML definitions needs jackson-dataformat-yaml on the classpath "
            + "(com.fasterxml.jackson.dataformat:jackson-dataformat-yaml); add it, or convert the file to JSON");
      }
      mapper = YamlSupport.mapper();
    } else {
      mapper = JSON_MAPPER;
    }
    if (isBlank(bytes)) {
      throw error(source, null, "file is empty: expected a cascade definition with cascade_id and phases");
    }
    JsonNode root;
    try {
      root = mapper.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new CascadeDefinitionException(new SpecProblem(source, null,
          "invalid " + format.name() + ": " + describe(e)), e);
    } catch (IOException e) {
      throw new CascadeDefinitionException(new SpecProblem(source, null, "cannot parse: " + e), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw error(source, null, "file is empty: expected a cascade definition with cascade_id and phases");
    }
    return new DefinitionWalker(source).cascade(root);
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    // SnakeYAML writes "context\n in 'reader', line..\n snippet\n ^\nproblem\n ...": keep the
    // unindented lines (context and problem), the location comes from getLocation()
    StringBuilder kept = new StringBuilder();
    for (String line : message.split("\n")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        kept.append(kept.length() == 0 ? "" : "; ").append(line.strip());
      }
    }
    message = kept.length() == 0 ? message.strip() : kept.toString();
    // Jackson's "[Source: REDACTED (...); line: 2, column: 13]" says nothing to a user but the place
    message = message.replaceAll("\\[Source: .*?; (line: \\d+, column: \\d+)\\]", "[$1]");
    if (message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    JsonLocation location = e.getLocation();
    if (location != null && location.getLineNr() > 0) {
      return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " + message;
    }
    return message;
  }

  static CascadeDefinitionException error(String source, String field, String message) {
    return new CascadeDefinitionException(new SpecProblem(source, field, message));
  }
}
