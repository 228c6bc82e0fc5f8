/**
 * The REST client. Every answer becomes {ok: true, data} or {ok: false,
 * errors} with each error's message and, where the API names one, its node
 * or character position. No DOM; fetch is injectable for tests.
 * @module api
 */

/**
 * @typedef {object} ApiError
 * @property {string} msg
 * @property {string} [type]
 * @property {string} [node]  the node the error is about
 * @property {number} [position]  0-based offset into an expression
 * @property {(string | number)[]} [loc]
 */
/**
 * @template T
 * @typedef {{ok: true, data: T} | {ok: false, status: number, errors: ApiError[], retryAfter?: number}} Answer
 * `retryAfter`: the seconds a 429 or 503 asks the client to wait.
 */

/**
 * Read FastAPI's {"detail": [...]} (or a bare string detail) into errors.
 * @param {unknown} body
 * @param {number} status
 * @returns {ApiError[]}
 */
export function readErrors(body, status) {
  const detail = /** @type {any} */ (body)?.detail;
  if (typeof detail === "string") return [{ msg: detail }];
  if (!Array.isArray(detail) || detail.length === 0) return [{ msg: `The server answered ${status}.` }];
  return detail.map((item) => ({
    msg: String(item?.msg ?? "Unknown error"),
    type: item?.type,
    node: typeof item?.node === "string" ? item.node : undefined,
    position: Number.isInteger(item?.position) ? item.position : undefined,
    loc: Array.isArray(item?.loc) ? item.loc : undefined,
  }));
}

/**
 * @param {typeof fetch} [fetchImpl]
 * @param {string} [base]  URL prefix of the API
 */
export function createApi(fetchImpl = globalThis.fetch.bind(globalThis), base = "") {
  /**
   * @param {string} path
   * @param {object} [body]
   * @returns {Promise<Answer<any>>}
   */
  async function call(path, body) {
    const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    let response;
    try {
      response = await fetchImpl(`${base}${path}`, init);
    } catch (error) {
      return { ok: false, status: 0, errors: [{ msg: `Cannot reach the server (${String(error)}).` }] };
    }
    const data = await response.json().catch(() => null);
    if (response.ok && data !== null) return { ok: true, data };
    const failed = { ok: /** @type {const} */ (false), status: response.status, errors: readErrors(data, response.status) };
    const wait = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
    return Number.isFinite(wait) ? { ...failed, retryAfter: wait } : failed;
  }

  return {
    /** @param {object} circuit */
    evaluate: (circuit) => call("/api/evaluate", circuit),
    /** @param {object} circuit  the staged Python code of a circuit */
    codegen: (circuit) => call("/api/codegen", circuit),
    /** @param {object} circuit @param {number} h  the central difference's step */
    gradcheck: (circuit, h) => call(`/api/gradcheck?h=${encodeURIComponent(String(h))}`, circuit),
    /** @param {object} request  a circuit with `input`, `from`, `to`, `points` */
    sweep: (request) => call("/api/sweep", request),
    /** @param {string} expression @param {Record<string, unknown>} values */
    parse: (expression, values) => call("/api/parse", { expression, values }),
    gates: () => call("/api/gates"),
    examples: () => call("/api/examples"),
    /** @param {string} id */
    saved: (id) => call(`/api/circuits/${encodeURIComponent(id)}`),
    /** @param {{circuit: object, title: string | null, parent?: string}} body */
    save: (body) => call("/api/circuits", body),
  };
}
