import type { ChatContentPart } from '../../../client/types';

/** What VS Code's `LanguageModelDataPart` carries (the API is newer than the typings this builds with). */
export interface DataPartLike {
  readonly mimeType: string;
  readonly data: Uint8Array;
}

export function isDataPart(part: unknown): part is DataPartLike {
  const candidate = part as Partial<DataPartLike> | null;
  return !!candidate && typeof candidate === 'object' && typeof candidate.mimeType === 'string' && candidate.data instanceof Uint8Array;
}

export function isImagePart(part: unknown): part is DataPartLike {
  return isDataPart(part) && /^image\//i.test(part.mimeType);
}

/** An image as an OpenAI `image_url` part with a base64 `data:` URL (Baseten cannot fetch local files). */
export function imageUrlPart(part: DataPartLike): ChatContentPart {
  return { type: 'image_url', image_url: { url: `data:${part.mimeType.toLowerCase()};base64,${Buffer.from(part.data).toString('base64')}` } };
}

export class ImageInputNotSupportedError extends Error {
  constructor(model: string) {
    super(`${model} does not take image input; remove the image or choose a model that accepts images.`);
    this.name = 'ImageInputNotSupportedError';
  }
}
