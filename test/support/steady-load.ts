/** One request of a steady load: when it was sent and answered, and how (a status, or why none came). */
export interface LoadOutcome {
  sentAt: number;
  answeredAt: number;
  status?: number;
  code?: string;
  failure?: string;
}

export interface LoadRun {
  outcomes: LoadOutcome[];
  /** Stops sending and resolves once every request in flight has been answered. */
  stop(): Promise<LoadOutcome[]>;
}

/**
 * A bounded load: `workers` loops, each sending one request at a time (`request(index)` picks the
 * URL and token) with `pauseMs` between two, until stopped. Every outcome is kept, in order of answer.
 */
export function steadyLoad(
  request: (index: number) => { url: string; token?: string },
  { workers = 6, pauseMs = 20, timeoutMs = 10_000 } = {},
): LoadRun {
  const outcomes: LoadOutcome[] = [];
  let running = true;
  let sent = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const { url, token } = request(sent++);
      const sentAt = Date.now();
      try {
        const response = await fetch(url, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { code?: string }).code;
        } catch {
          code = undefined;
        }
        outcomes.push({ sentAt, answeredAt: Date.now(), status: response.status, code });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        outcomes.push({ sentAt, answeredAt: Date.now(), failure: cause?.code ?? cause?.message ?? String(error) });
      }
      await new Promise((done) => setTimeout(done, pauseMs));
    }
  });
  return {
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** Counts of outcomes by status (or failure), for a test's printed figures. */
export function tally(outcomes: LoadOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = outcome.failure ?? `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
