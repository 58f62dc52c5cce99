package org.est4j.it;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered (by service loader, with extension auto-detection switched on) only in the
 * {@code suite-h2} / {@code suite-postgres} executions. The store suites
 * ({@code org.est4j.it.store}) choose their databases themselves, and a store override would take
 * that choice away: they are skipped here even when {@code -Dtest} names them (which overrides the
 * pom's excludes). Without PostgreSQL binaries every test is skipped with the package to install,
 * or fails when CI is set.
 */
public final class SuiteStoreCondition implements ExecutionCondition, BeforeAllCallback {
  static final String STORE_SUITES = "org.est4j.it.store";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (SuiteStore.kind().isEmpty()) {
      return ConditionEvaluationResult.enabled("not a suite-* execution");
    }
    if (context.getTestClass().map(c -> c.getPackageName().equals(STORE_SUITES)).orElse(false)) {
      return ConditionEvaluationResult.disabled(STORE_SUITES + " chooses its own databases: it runs in the default"
          + " execution only");
    }
    if (SuiteStore.unavailable().isPresent() && System.getenv("CI") == null) {
      return ConditionEvaluationResult.disabled(SuiteStore.unavailable().get());
    }
    return ConditionEvaluationResult.enabled("store " + SuiteStore.kind().get());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (SuiteStore.kind().isPresent() && SuiteStore.unavailable().isPresent()) {
      throw new IllegalStateException(SuiteStore.unavailable().get() + "; CI is set, so this is a failure, not a skip");
    }
  }
}
