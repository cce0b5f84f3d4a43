import { FhirError } from '../fhir-error';

/**
 * The wall-clock time one FHIR request may use, checked by the application between units of work
 * (Bundle entries, search steps, include rounds): a statement timeout never fires on thousands of
 * fast statements, and on the embedded engine a transaction holds the only connection for everyone
 * (decision 012). Past the deadline `check` throws 503 `too-costly`; thrown inside a transaction,
 * it rolls the whole transaction back.
 */
export class RequestBudget {
  private readonly deadline: number;

  constructor(
    readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + ms;
  }

  get exceeded(): boolean {
    return this.now() > this.deadline;
  }

  /** Throws the 503 OperationOutcome when the deadline has passed; `where` names the unit of work. */
  check(where: string): void {
    if (this.exceeded) throw this.error(where);
  }

  error(where: string): FhirError {
    return new FhirError(
      503,
      'too-costly',
      `The request was stopped at ${where}: it ran longer than its budget of ${this.ms} ms ` +
        '(FHIR_REQUEST_BUDGET_MS). Nothing of a transaction was written. Send fewer entries per ' +
        'Bundle, or narrow the search (_count, _include).',
    );
  }
}
