import { readBodyWithLimit } from '../http/body';
import { ApiError } from '../http/errors';

export async function readJsonBody(request: Request): Promise<unknown> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ApiError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  const body = await readBodyWithLimit(request, 256 * 1024);
  if (!body.ok) {
    throw body.problem === 'too_large'
      ? new ApiError('payload_too_large', 'The body exceeds 256 KiB.')
      : new ApiError('invalid_json', 'The body is not valid UTF-8.');
  }
  try {
    return JSON.parse(body.text);
  } catch (error) {
    throw new ApiError('invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}
