import type { Reporter, SerializedError, TestModule } from "vitest/node";

/**
 * Prints the plain `N passed, N failed, N skipped` line that CI reads. A file that failed with
 * no failed test of its own (it did not load, or its worker process died) counts as one failure,
 * and so does every error vitest caught outside any test.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      const tests = [...module.children.allTests()];
      if (module.state() === "failed" && !tests.some((test) => test.result().state === "failed")) failed++;
      for (const test of tests) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
    }
    console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
