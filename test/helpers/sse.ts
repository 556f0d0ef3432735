/** Reads a Server-Sent Events response to its end and returns its frames. */
export interface SseFrame {
  id?: string;
  data?: string;
  comment?: string;
  retry?: string;
}

export async function readSse(response: Response, onFrame?: (frame: SseFrame) => void): Promise<SseFrame[]> {
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) throw new Error("no body");
  const frames: SseFrame[] = [];
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const frame: SseFrame = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) frame.comment = line.slice(1).trim();
        else {
          const colon = line.indexOf(":");
          const field = line.slice(0, colon);
          const text = line.slice(colon + 1).replace(/^ /, "");
          if (field === "id" || field === "data" || field === "retry") frame[field] = text;
        }
      }
      frames.push(frame);
      onFrame?.(frame);
    }
  }
  return frames;
}

export const eventsOf = (frames: SseFrame[]) =>
  frames
    .filter((frame) => frame.data !== undefined)
    .map((frame) => JSON.parse(frame.data ?? "") as { seq: number; type: string });
