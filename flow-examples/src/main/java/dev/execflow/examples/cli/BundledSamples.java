package dev.execflow.examples.cli;

import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.spi.LogSource;
import java.util.List;

/** The bundled sample sessions (until dev.execflow.sample.Samples lands). */
final class BundledSamples {
  private BundledSamples() {}

  static final String SOUNDINGS_SESSION = "sample-soundings";

  static final List<String> NAMES = List.of("simple", "soundings");

  static LogSource source() {
    return JsonlLogSource.fromResources(NAMES.stream().map(n -> "dev/execflow/samples/" + n + ".jsonl").toList());
  }
}
