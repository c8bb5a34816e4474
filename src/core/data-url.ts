/** `data:` URLs (how OpenAI-format clients inline images and files) split into media type and base64 data. */
export interface InlineData {
  mediaType: string;
  data: string;
}

export function parseDataUrl(url: string): InlineData | null {
  const m = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!m || !m[1] || m[2] === undefined) return null;
  return { mediaType: m[1].toLowerCase(), data: m[2] };
}

export function toDataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}
