/** What a storage has run, for diagnostics and benchmarks (`countStatements` option). */
export interface StatementCount {
  /** Every statement, a transaction's BEGIN and COMMIT included. */
  statements: number;
  transactions: number;
}
