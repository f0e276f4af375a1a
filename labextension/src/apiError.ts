/** The API's failures as one error type: views show `message`, branch on `reason`. */

/** An error reply of the API, or a server without the extension. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string
  ) {
    super(message);
  }

  /** True when the server answered but does not serve this API at all. */
  get extensionMissing(): boolean {
    return this.reason === 'extension_missing';
  }
}
