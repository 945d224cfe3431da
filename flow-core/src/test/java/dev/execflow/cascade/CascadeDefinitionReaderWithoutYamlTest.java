package dev.execflow.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * jackson-dataformat-yaml is optional: a user who leaves it out can still read JSON definitions
 * and gets a clear error for YAML ones. Checked by loading flow-core in a class loader that sees
 * flow-core and jackson-databind only.
 */
class CascadeDefinitionReaderWithoutYamlTest {

  private static URL locationOf(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }

  private static Object read(ClassLoader loader, String text, String format, String source) throws Exception {
    Class<?> reader = loader.loadClass(CascadeDefinitionReader.class.getName());
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object formatValue = Enum.valueOf((Class) loader.loadClass(CascadeDefinitionReader.Format.class.getName()), format);
    Method read = reader.getMethod("read", String.class, formatValue.getClass(), String.class);
    try {
      return read.invoke(null, text, formatValue, source);
    } catch (InvocationTargetException e) {
      return e.getCause();
    }
  }

  private static URLClassLoader withoutYaml() {
    URL[] urls = {locationOf(CascadeDefinitionReader.class), locationOf(ObjectMapper.class),
        locationOf(JsonParser.class), locationOf(JsonProperty.class)};
    return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
  }

  @Test
  void theIsolatedLoaderReallyLacksYaml() throws Exception {
    try (URLClassLoader loader = withoutYaml()) {
      Class<?> reader = loader.loadClass(CascadeDefinitionReader.class.getName());

      assertThat(reader.getMethod("yamlAvailable").invoke(null)).isEqualTo(false);
      assertThat(CascadeDefinitionReader.yamlAvailable()).isTrue();
    }
  }

  @Test
  void jsonDefinitionsStillRead() throws Exception {
    try (URLClassLoader loader = withoutYaml()) {
      Object result = read(loader, "{\"cascade_id\": \"c\", \"phases\": [{\"name\": \"a\"}]}", "JSON", "c.json");

      assertThat(result.getClass().getName()).isEqualTo(SpecReadResult.class.getName());
      assertThat(result.toString()).contains("cascadeId=c");
    }
  }

  @Test
  void aYamlDefinitionGetsAClearError() throws Exception {
    try (URLClassLoader loader = withoutYaml()) {
      Object result = read(loader, "cascade_id: c\nphases: [{name: a}]\n", "YAML", "c.yaml");

      assertThat(result.getClass().getName()).isEqualTo(CascadeDefinitionException.class.getName());
      assertThat(((Throwable) result).getMessage()).isEqualTo("c.yaml: reading YAML definitions needs "
          + "jackson-dataformat-yaml on the classpath (com.fasterxml.jackson.dataformat:jackson-dataformat-yaml); "
          + "add it, or convert the file to JSON");
    }
  }
}
