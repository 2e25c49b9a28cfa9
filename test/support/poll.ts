import type { JsonResponse } from './http.js';

/** Calls `attempt` every 25 ms until it answers `status`; the last answer and how long that took. */
export async function answersWithin(
  status: number,
  limitMs: number,
  attempt: () => Promise<JsonResponse>,
): Promise<{ answer: JsonResponse; elapsedMs: number }> {
  const started = Date.now();
  for (;;) {
    const answer = await attempt();
    const elapsedMs = Date.now() - started;
    if (answer.status === status) return { answer, elapsedMs };
    if (elapsedMs > limitMs)
      throw new Error(`No ${status} within ${limitMs}ms; last answer: ${answer.status} ${JSON.stringify(answer.body)}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}
