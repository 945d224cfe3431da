package dev.execflow.cascade;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The only class that touches jackson-dataformat-yaml (an optional dependency): it is loaded only
 * when a YAML definition is read and {@link CascadeDefinitionReader#yamlAvailable()} said yes, so users
 * without the YAML jar can still read JSON definitions.
 */
final class YamlSupport {
  private static final ObjectMapper MAPPER = create();

  private YamlSupport() {}

  static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper create() {
    LoaderOptions options = new LoaderOptions();
    // our own byte limit is the one users should hit, with our message; SnakeYAML's default (3 MB)
    // must not be lower
    options.setCodePointLimit((int) CascadeDefinitionReader.MAX_BYTES + 1024);
    YAMLFactory factory = YAMLFactory.builder()
        .loaderOptions(options)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }
}
