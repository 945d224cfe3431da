package dev.execflow.source.jsonl;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionQuery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The JSONL source's fuzz properties (QuickTheories, seeded, shrinking): whatever a file holds,
 * a read and a listing never throw anything but a {@link LogSourceException} (and for file
 * content, not even that: bad content is warnings), and a read delivers only rows of the session
 * asked for. Run in the test JVM by {@link JsonlFuzzTest}, and in a 32 MB JVM by its small-heap
 * test ({@link #main}), where the generated values reach megabytes.
 */
public final class JsonlFuzz {
  private static final long SEED = 0x5EED_13L;

  private final Path file;
  private final int bigValue;

  JsonlFuzz(Path dir, int bigValue) {
    this.file = dir.resolve("fuzz.jsonl");
    this.bigValue = bigValue;
  }

  /** Random bytes, plain or as gzip (whole, cut, or followed by more bytes). */
  void bytes(int examples) {
    Gen<byte[]> raw = lists().of(integers().between(0, 255)).ofSizeBetween(0, 3000).map(JsonlFuzz::toBytes);
    qt().withFixedSeed(SEED).withExamples(examples)
        .forAll(raw, Generate.pick(List.of("plain", "gzip", "gzip-cut", "gzip+trailing")))
        .checkAssert((bytes, packing) -> {
          write(pack(bytes, packing));
          readsWithoutThrowing();
        });
  }

  /** Lines of JSON objects mixing real fields and values with hostile ones, some of them broken. */
  void structured(int examples) {
    Gen<String> names = Generate.pick(List.of("timestamp", "session_id", "trace_id", "parent_id", "node_type",
        "role", "phase_name", "cell_name", "cost", "tokens_in", "turn_number", "sounding_index", "is_winner",
        "content_json", "metadata_json", "message_id", "session\\u005fid", "x", "", "\\u00e9", "\\\"", "\\ud83d"))
        .mix(strings().allPossible().ofLengthBetween(0, 6).map(JsonlFuzz::escape));
    Gen<String> values = Generate.oneOf(
        strings().allPossible().ofLengthBetween(0, 20).map(s -> "\"" + escape(s) + "\""),
        integers().all().map((Integer i) -> String.valueOf(i)),
        doubles().any().map((Double d) -> String.valueOf(d)),
        Generate.pick(List.of("true", "false", "null", "\"s1\"", "\"s1\"", "1", "1.0", "\"1736071200.5\"",
            "\"2025-01-05 10:00:00.5\"", "1e400", "-0", "{}", "[]", "{\"a\":[1,{\"b\":\"}\\\"\"}]}", "\"\\u\"",
            "\"\\ud800\"", "\"\\\\\"", "[[[[[[[[]]]]]]]]", "\"\\\"draft\\\"\"", "{\"winner_index\": 2}")),
        // big values stand as markers, expanded while the file is written (the generator stays small)
        integers().between(0, bigValue).map(n -> "\"" + BIG + n + END + "\""),
        integers().between(0, bigValue / 16).map(n -> "{\"k\":[" + BIG_ARRAY + n + END + "0]}"));
    Gen<String> field = names.zip(values, (n, v) -> "\"" + n + "\":" + v);
    Gen<String> object = lists().of(field).ofSizeBetween(0, 10).map(f -> "{" + String.join(",", f) + "}");
    Gen<String> line = object.zip(integers().between(0, 9), integers().between(0, 10_000), (o, how, at) -> {
      int cut = o.isEmpty() ? 0 : at % o.length();
      switch (how) {
        case 0: return o.substring(0, cut); // cut short
        case 1: return o.substring(0, cut) + "\u0000" + o.substring(cut);
        case 2: return o + " tail";
        case 3: return "  " + o + "\r";
        default: return o;
      }
    });
    Gen<String> text = lists().of(line).ofSizeBetween(0, 12).map(ls -> String.join("\n", ls));
    qt().withFixedSeed(SEED).withExamples(examples)
        .forAll(text, Generate.pick(List.of("plain", "plain", "gzip", "gzip-cut")))
        .checkAssert((t, packing) -> {
          writeExpanded(t, packing);
          readsWithoutThrowing();
        });
  }

  private static final char BIG = '\uE000';
  private static final char BIG_ARRAY = '\uE001';
  private static final char END = '\uE002';

  /** Writes {@code text} to the file, markers expanded, streamed (and gzipped) as it goes. */
  private void writeExpanded(String text, String packing) {
    try (java.io.OutputStream file = new java.io.BufferedOutputStream(Files.newOutputStream(this.file), 1 << 16)) {
      java.io.OutputStream out = packing.equals("plain") ? file : new GZIPOutputStream(file);
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        int end = c == BIG || c == BIG_ARRAY ? text.indexOf(END, i) : -1;
        if (end > i + 1 && end - i <= 10 && text.substring(i + 1, end).chars().allMatch(Character::isDigit)) {
          int n = Integer.parseInt(text.substring(i + 1, end));
          byte[] unit = (c == BIG ? "y" : "\"abcdefghijklm\",").getBytes(StandardCharsets.UTF_8);
          for (int k = 0; k < n; k++) {
            out.write(unit);
          }
          i = end + 1;
        } else {
          int next = i;
          while (next < text.length() && text.charAt(next) != BIG && text.charAt(next) != BIG_ARRAY) {
            next++;
          }
          out.write(text.substring(i, Math.max(next, i + 1)).getBytes(StandardCharsets.UTF_8));
          i = Math.max(next, i + 1);
        }
      }
      if (out != file) {
        ((GZIPOutputStream) out).finish();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (packing.equals("gzip-cut")) {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
          java.nio.file.StandardOpenOption.WRITE)) {
        ch.truncate(ch.size() / 2);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void write(byte[] content) {
    try {
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readsWithoutThrowing() {
    JsonlLogSource source = JsonlLogSource.open(file);
    long[] rows = {0};
    source.read(SessionQuery.of("s1"), new RowSink() {
      @Override
      public void accept(LogRow row) {
        if (!"s1".equals(row.sessionId())) {
          throw new AssertionError("a row of session " + row.sessionId() + " in a read of s1");
        }
        rows[0]++;
      }
    });
    source.listSessions(SessionListQuery.firstPage(50));
  }

  private static byte[] pack(byte[] bytes, String packing) {
    if (packing.equals("plain")) {
      return bytes;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] packed = out.toByteArray();
    if (packing.equals("gzip-cut")) {
      return java.util.Arrays.copyOf(packed, packed.length / 2);
    }
    if (packing.equals("gzip+trailing")) {
      byte[] more = java.util.Arrays.copyOf(packed, packed.length + bytes.length);
      System.arraycopy(bytes, 0, more, packed.length, bytes.length);
      return more;
    }
    return packed;
  }

  private static byte[] toBytes(List<Integer> values) {
    byte[] b = new byte[values.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (int) values.get(i);
    }
    return b;
  }

  /** JSON string content for {@code s}: quotes, backslashes and controls escaped, the rest as is. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The small-heap run: {@code main(dir)} in a JVM started with {@code -Xmx32m}; exit 0 when the properties hold. */
  public static void main(String[] args) {
    JsonlFuzz fuzz = new JsonlFuzz(Path.of(args[0]), 1_000_000);
    fuzz.structured(40);
    fuzz.bytes(20);
    System.out.println("ok maxHeapMb=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }
}
