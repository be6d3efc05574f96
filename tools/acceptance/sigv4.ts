/**
 * AWS Signature Version 4 for one unsigned-payload-free request (a GET with an empty body): what Scaleway Object
 * Storage's S3 API authenticates with. The project has no S3 client, and one request needs no more than this.
 * Algorithm: AWS's "Create a signed AWS API request" (canonical request, string to sign, derived key), checked against
 * the worked example of that guide (test/acceptance.test.ts). S3 also requires `x-amz-content-sha256`, signed like
 * any header.
 */
import { createHash, createHmac } from "crypto";

export const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const hmac = (key: Buffer | string, text: string) => createHmac("sha256", key).update(text, "utf8").digest();

/** RFC 3986 encoding, as SigV4 wants it: every byte but unreserved characters. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface SignInput {
  readonly method: string;
  readonly url: URL;
  /** Header names in any case; `host` and `x-amz-date` are added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly payloadHash: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region: string;
  readonly service: string;
  readonly now: Date;
}

export interface Signed {
  /** Every header to send, `authorization` included. */
  readonly headers: Record<string, string>;
  readonly canonicalRequest: string;
  readonly signature: string;
}

export function signV4(input: SignInput): Signed {
  const amzDate = input.now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers))
    headers[name.toLowerCase()] = value.trim().replace(/\s+/g, " ");
  headers.host = input.url.host;
  headers["x-amz-date"] = amzDate;
  const names = Object.keys(headers).sort();
  const query = [...input.url.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const path = input.url.pathname
    .split("/")
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join("/");
  const canonicalRequest = [
    input.method.toUpperCase(),
    path || "/",
    query,
    ...names.map((n) => `${n}:${headers[n]}`),
    "",
    names.join(";"),
    input.payloadHash,
  ].join("\n");
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretKey}`, day), input.region), input.service), "aws4_request");
  const signature = createHmac("sha256", key).update(toSign, "utf8").digest("hex");
  return {
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${input.accessKey}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`,
    },
    canonicalRequest,
    signature,
  };
}
