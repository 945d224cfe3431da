package dev.execflow.testing;

import dev.execflow.source.jsonl.JsonlLogSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample sessions bundled with flow-core: small hand-written {@code unified_logs} exports
 * (JSONL), the cascade definition each ran, and the {@code executionData} expected from each,
 * worked out by hand. {@code dev/execflow/samples/README.md} tells each sample's story.
 *
 * <pre>{@code
 * try (JsonlLogSource source = Samples.source()) {
 *   ExecutionData data = ExecutionAssembler.assemble(source,
 *       SessionQuery.of(Samples.sessionId("soundings")), AssemblyOptions.defaults());
 * }
 * String cascadeFile = Samples.get("soundings").cascadeResource(); // for a CascadeCatalog
 * }</pre>
 */
public final class Samples {
  /** The classpath folder of the sample sessions. */
  public static final String FOLDER = "dev/execflow/samples/";

  /** The classpath folder of the further runs of the samples' cascades ({@link #otherRuns}). */
  public static final String RUNS_FOLDER = FOLDER + "runs/";

  /** The classpath folder of the samples' cascade definitions. */
  public static final String CASCADES_FOLDER = FOLDER + "cascades/";

  /**
   * One bundled sample.
   *
   * @param name short name, e.g. {@code soundings}
   * @param sessionId the session id its rows carry ({@code sample-<name>})
   * @param cascadeId the cascade it ran
   * @param sessionResource classpath resource of its rows (JSONL)
   * @param cascadeResource classpath resource of its cascade definition (YAML or JSON)
   * @param expectedResource classpath resource of its expected executionData (seed fields)
   */
  public record Sample(String name, String sessionId, String cascadeId, String sessionResource,
      String cascadeResource, String expectedResource) {}

  private static final Map<String, Sample> SAMPLES = new LinkedHashMap<>();
  /** Further runs of a sample's cascade, by the sample's name (see {@link #otherRuns}). */
  private static final Map<String, List<Sample>> OTHER_RUNS = new LinkedHashMap<>();

  static {
    add("simple", "blog_post", "blog_post.yaml");
    add("soundings", "tagline_soundings", "tagline_soundings.json");
    add("reforge", "logo_brief_reforge", "logo_brief_reforge.yaml");
    add("running", "research_report", "research_report.yaml");
    add("failed", "data_pipeline", "data_pipeline.json");
    add("wards", "support_reply", "support_reply.yaml");
    add("loop", "draft_review_loop", "draft_review_loop.json");
    for (int n = 2; n <= 4; n++) {
      OTHER_RUNS.computeIfAbsent("loop", k -> new ArrayList<>()).add(new Sample("loop-" + n, "sample-loop-" + n,
          "draft_review_loop", RUNS_FOLDER + "loop-" + n + ".jsonl", CASCADES_FOLDER + "draft_review_loop.json",
          RUNS_FOLDER + "loop-" + n + ".expected.json"));
    }
  }

  private static void add(String name, String cascadeId, String cascadeFile) {
    SAMPLES.put(name, new Sample(name, "sample-" + name, cascadeId, FOLDER + name + ".jsonl",
        CASCADES_FOLDER + cascadeFile, FOLDER + name + ".expected.json"));
  }

  private Samples() {}

  /** The samples' names, in the order the README tells them. */
  public static List<String> names() {
    return List.copyOf(SAMPLES.keySet());
  }

  /** Every sample. */
  public static List<Sample> all() {
    return List.copyOf(SAMPLES.values());
  }

  /**
   * Further runs of the cascade sample {@code name} ran, for comparing runs of one cascade: {@code
   * loop} has three ({@code sample-loop-2}, {@code -3}, {@code -4}, a day apart each, newest last;
   * {@code -3} fails in review), every other sample none. They are not among {@link #names()} (nor
   * in {@link #source()}); {@link #get} knows them by name ({@code loop-2}) and each has its
   * hand-worked expected JSON.
   */
  public static List<Sample> otherRuns(String name) {
    get(name);
    return List.copyOf(OTHER_RUNS.getOrDefault(name, List.of()));
  }

  /** A source over every sample and every further run ({@link #otherRuns}). */
  public static JsonlLogSource sourceWithOtherRuns() {
    List<String> resources = new ArrayList<>();
    for (Sample sample : SAMPLES.values()) {
      resources.add(sample.sessionResource());
    }
    OTHER_RUNS.values().forEach(runs -> runs.forEach(run -> resources.add(run.sessionResource())));
    return JsonlLogSource.fromResources(resources);
  }

  /**
   * The sample (or further run, {@link #otherRuns}) called {@code name}.
   *
   * @throws IllegalArgumentException naming the known samples when there is none by that name
   */
  public static Sample get(String name) {
    Sample sample = SAMPLES.get(name);
    if (sample == null) {
      sample = OTHER_RUNS.values().stream().flatMap(List::stream).filter(s -> s.name().equals(name))
          .findFirst().orElse(null);
    }
    if (sample == null) {
      throw new IllegalArgumentException("No sample called '" + name + "'; samples are " + names());
    }
    return sample;
  }

  /** The session id of sample {@code name}, e.g. {@code sample-soundings}. */
  public static String sessionId(String name) {
    return get(name).sessionId();
  }

  /** A source over all bundled sample sessions. */
  public static JsonlLogSource source() {
    List<String> resources = new ArrayList<>();
    for (Sample sample : SAMPLES.values()) {
      resources.add(sample.sessionResource());
    }
    return JsonlLogSource.fromResources(resources);
  }

  /** A source over the one sample {@code name}. */
  public static JsonlLogSource source(String name) {
    return JsonlLogSource.fromResource(get(name).sessionResource());
  }
}
