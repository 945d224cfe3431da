package dev.execflow.examples.viewer;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands the run's shared {@link Browser} to test methods. Checks for the browser before each test
 * (reported one by one as skipped, so the count shows in the build summary; failed when {@code CI=true}).
 */
final class BrowserExtension implements BeforeEachCallback, ParameterResolver {
  @Override
  public void beforeEach(ExtensionContext context) {
    Browser.requireBinaries();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Browser.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return Browser.shared(context);
  }
}
