/** Where Tollway caches downloaded data: TOLLWAY_DATA_DIR, else XDG_DATA_HOME/tollway, else ~/.local/share/tollway. */
import { homedir } from "node:os";
import { join } from "node:path";

/** The per-user data folder (not created here). */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env["TOLLWAY_DATA_DIR"];
  if (explicit !== undefined && explicit !== "") return explicit;
  const xdg = env["XDG_DATA_HOME"];
  if (xdg !== undefined && xdg !== "") return join(xdg, "tollway");
  return join(homedir(), ".local", "share", "tollway");
}
