package dev.execflow.source.jsonl;

import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where a {@link JsonlLogSource}'s bytes come from: files, a directory, a stream, resources. */
final class JsonlInputs {
  private JsonlInputs() {}

  /** One named byte stream (a file or a resource). */
  interface Input {
    String name();

    InputStream open() throws IOException;

    /** The file, for inputs that are files (a tail reads them from an offset), else null. */
    default Path path() {
      return null;
    }
  }

  /** The inputs of one pass; a directory is listed again on each pass, so new files are seen. */
  interface Inputs {
    List<Input> list();
  }

  static Input file(Path file) {
    return new Input() {
      @Override public String name() {
        return file.toString();
      }

      @Override public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }

      @Override public Path path() {
        return file;
      }
    };
  }

  /** The directory's JSONL files (not recursive) by name, listed again on every pass. */
  static Inputs directory(Path dir) {
    return () -> listDirectory(dir);
  }

  private static List<Input> listDirectory(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> {
            String n = f.getFileName().toString();
            return Files.isRegularFile(f) && (n.endsWith(".jsonl") || n.endsWith(".jsonl.gz")
                || n.endsWith(".ndjson") || n.endsWith(".ndjson.gz"));
          })
          .sorted(Comparator.comparing(f -> f.getFileName().toString()))
          .map(JsonlInputs::file)
          .collect(Collectors.toList());
    } catch (NoSuchFileException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "No such JSONL directory: " + dir.toAbsolutePath());
    } catch (IOException | UncheckedIOException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "Cannot list directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A stream that can be opened once; the caller's stream is never closed. */
  static Input once(InputStream stream, String name) {
    Objects.requireNonNull(stream, "stream");
    AtomicBoolean used = new AtomicBoolean();
    return new Input() {
      @Override public String name() {
        return name;
      }

      @Override public InputStream open() {
        if (used.getAndSet(true)) {
          throw new LogSourceException(Reason.BAD_INPUT, name + " can be read only once, and was read already");
        }
        return new FilterInputStream(stream) {
          @Override public void close() {
            // the caller's stream (System.in, say) stays open
          }
        };
      }
    };
  }

  /** Classpath resources, in the given order. */
  static List<Input> resources(List<String> classpathResources) {
    List<Input> list = new ArrayList<>();
    for (String resource : classpathResources) {
      String path = resource.startsWith("/") ? resource.substring(1) : resource;
      URL url = classLoader().getResource(path);
      if (url == null) {
        throw new LogSourceException(Reason.BAD_INPUT, "No such classpath resource: " + path);
      }
      list.add(new Input() {
        @Override public String name() {
          return path;
        }

        @Override public InputStream open() throws IOException {
          return url.openStream();
        }
      });
    }
    return List.copyOf(list);
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : JsonlLogSource.class.getClassLoader();
  }

  /**
   * Wraps {@code raw} in a gzip decoder when it starts with the gzip magic bytes; one that says
   * what it did not read (data after the last member, a corrupt member).
   */
  static InputStream decompressed(InputStream raw, GzipMembers.Problems problems, int buffer)
      throws IOException {
    PushbackInputStream in = new PushbackInputStream(raw, 2);
    byte[] magic = new byte[2];
    int n = in.readNBytes(magic, 0, 2);
    in.unread(magic, 0, n);
    if (n == 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B) {
      return new GzipMembers(in, problems, buffer);
    }
    return in;
  }

  /** A decompressed view of {@code raw} for a tail (gzip problems of a growing file are not reported). */
  static InputStream decompressed(InputStream raw) throws IOException {
    return decompressed(raw, (kind, detail) -> { }, RowPass.CHUNK);
  }
}
