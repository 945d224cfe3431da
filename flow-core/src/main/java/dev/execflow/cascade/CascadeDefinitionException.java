package dev.execflow.cascade;

/**
 * A cascade definition could not be read: unreadable or oversized file, invalid JSON/YAML, a
 * missing or wrongly typed field, duplicate phase names, or YAML without the YAML library.
 * Unchecked, like {@code LogSourceException}; the message is meant for the user as is:
 *
 * <pre>{@code
 * try {
 *   spec = CascadeDefinitionReader.read(file).spec();
 * } catch (CascadeDefinitionException e) {
 *   System.err.println(e.getMessage()); // "blog.yaml: phases[2].handoffs[0]: expected ..."
 * }
 * }</pre>
 */
public class CascadeDefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient SpecProblem problem;

  public CascadeDefinitionException(SpecProblem problem) {
    this(problem, null);
  }

  public CascadeDefinitionException(SpecProblem problem, Throwable cause) {
    super(problem.toString(), cause);
    this.problem = problem;
  }

  /** The problem: file, field and message. */
  public SpecProblem problem() {
    return problem;
  }
}
