/** Reading a results store in a test. */
import { ResultStore } from "../../src/store/store.js";

/** The rows of `sql` on the store `file`, opened read-only and closed again. */
export async function query<T = Record<string, unknown>>(file: string, sql: string): Promise<T[]> {
  const store = await ResultStore.open(file, { readOnly: true });
  try {
    return await store.rows<T>(sql);
  } finally {
    store.close();
  }
}
