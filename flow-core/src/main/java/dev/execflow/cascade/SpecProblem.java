package dev.execflow.cascade;

/**
 * Something wrong or odd in a cascade definition, located by file and field.
 *
 * <p>{@code toString()} reads {@code "blog.yaml: phases[2].handoffs[0]: expected a phase name or
 * {target, description}"}: the form to show a user.
 *
 * @param source the file or resource, may be null for definitions read from a string
 * @param field the field's path inside the definition ({@code phases[2].handoffs[0]}), null when
 *     the problem concerns the whole file
 * @param message what is wrong, in words
 */
public record SpecProblem(String source, String field, String message) {

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    if (source != null) {
      text.append(source).append(": ");
    }
    if (field != null && !field.isEmpty()) {
      text.append(field).append(": ");
    }
    return text.append(message).toString();
  }
}
