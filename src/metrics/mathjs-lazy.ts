/**
 * mathjs, loaded on first use. Importing mathjs costs about two seconds of start-up, so a point
 * worker of a sweep (which only runs games and never computes an interval or a spectrum) must not
 * pay for it at import time. The functions here load mathjs's CommonJS build synchronously the
 * first time one of them is called and keep it for the rest of the process.
 */
import { createRequire } from "node:module";
import type { Complex, MathJsInstance } from "mathjs";

type MathFunctions = Pick<MathJsInstance, "erf" | "fft" | "lgamma">;

let loaded: MathFunctions | undefined;

/** Loads mathjs the first time it is needed (synchronously, through its CommonJS build). */
function mathjs(): MathFunctions {
  loaded ??= createRequire(import.meta.url)("mathjs") as MathFunctions;
  return loaded;
}

/** The error function erf(x) (mathjs `erf`), loading mathjs on first use. */
export function erf(x: number): number {
  return mathjs().erf(x) as number;
}

/** The natural log of the gamma function (mathjs `lgamma`), loading mathjs on first use. */
export function lgamma(x: number): number {
  return mathjs().lgamma(x) as number;
}

/** The discrete Fourier transform of a real series (mathjs `fft`), loading mathjs on first use. */
export function fft(values: number[]): Complex[] {
  return mathjs().fft(values) as unknown as Complex[];
}
