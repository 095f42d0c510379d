/**
 * Errors a user can act on. The CLI prints `tollway: <where>: <reason>` on one line and no
 * stack (unless --debug); everything else is treated as a bug in Tollway.
 */
export interface ErrorPlace {
  /** File the bad input came from. */
  file?: string;
  /** 1-based line number within `file`. */
  line?: number;
  /** Dotted path of the offending field, e.g. `flows.0.payment`. */
  field?: string;
}

export class TollwayError extends Error {
  override readonly name = "TollwayError";
  readonly place: ErrorPlace;
  readonly reason: string;

  constructor(reason: string, place: ErrorPlace = {}, options?: { cause?: unknown }) {
    super(formatPlace(place) + reason, options);
    this.place = place;
    this.reason = reason;
  }
}

function formatPlace(place: ErrorPlace): string {
  let where = "";
  if (place.file !== undefined) where += place.line !== undefined ? `${place.file}:${place.line}: ` : `${place.file}: `;
  if (place.field !== undefined) where += `${place.field}: `;
  return where;
}

/** Re-throws `error` with a file attached when it is a TollwayError that lacks one. */
export function inFile(file: string, error: unknown): never {
  if (error instanceof TollwayError && error.place.file === undefined) {
    throw new TollwayError(error.reason, { ...error.place, file }, { cause: error });
  }
  throw error;
}

/**
 * A study whose runs were handed to another backend (submitted to SLURM) or only listed (a dry
 * run): it has no report to print now. Not a failure: the CLI prints the message (what was
 * submitted and how to finish) on stdout and exits with 0.
 */
export class StudyDeferred extends Error {
  override readonly name = "StudyDeferred";
}
