/** The built-in attackers of Bill-Pay §2.4, by id (the hijack experiment runs each). */
import type { AttackerStrategy } from "../attacker.js";
import impersonation from "./impersonation.js";
import manInTheMiddle from "./man-in-the-middle.js";

export { impersonation, manInTheMiddle };

/** Every built-in attacker. */
export const ATTACKERS: readonly AttackerStrategy[] = [impersonation, manInTheMiddle];
