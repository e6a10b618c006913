/**
 * Broken properties, by rule, with how often and the shortest request that
 * broke each. Runs go on after a violation, so one run shows every kind of
 * failure; the test fails at the end of the property if any was recorded.
 */
export class Violations {
  private readonly byRule = new Map<string, { count: number; example: string }>();

  record(rule: string, example: string): void {
    const seen = this.byRule.get(rule);
    if (!seen) this.byRule.set(rule, { count: 1, example });
    else {
      seen.count++;
      if (example.length < seen.example.length) seen.example = example;
    }
  }

  list(): string[] {
    return [...this.byRule].map(([rule, { count, example }]) => `${rule} — ${count}×, e.g.\n${example}`);
  }
}
