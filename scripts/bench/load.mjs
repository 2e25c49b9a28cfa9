// One load run of `npm run bench`, in a process of its own (pinned to its own core by the caller).
// The job comes as JSON in argv[2]; the result is printed as one JSON line.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const job = JSON.parse(process.argv[2]);
const tokens = job.tokensFile ? JSON.parse(readFileSync(job.tokensFile, 'utf8')) : [];
let next = 0;
let exhausted = false;
let instance;

/** `repeat`: every connection cycles through all tokens; `unique`: each token is sent once, then the run ends. */
function setupRequest(request) {
  if (job.tokens === 'none') return request;
  let index = next++;
  if (job.tokens === 'repeat') index %= tokens.length;
  else if (index >= tokens.length) {
    if (!exhausted) {
      exhausted = true;
      setImmediate(() => instance.stop());
    }
    index = tokens.length - 1;
  }
  return { ...request, headers: { authorization: `Bearer ${tokens[index]}` } };
}

instance = autocannon(
  {
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    timeout: 10,
    requests: [{ method: 'GET', path: job.path, setupRequest }],
  },
  (error, result) => {
    if (error) throw error;
    const sent = Math.min(next, tokens.length || next);
    console.log(
      JSON.stringify({
        rps: result.requests.total / result.duration,
        total: result.requests.total,
        seconds: result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts + result.non2xx,
        exhausted,
        distinctTokens: job.tokens === 'unique' ? sent : tokens.length,
      }),
    );
  },
);
