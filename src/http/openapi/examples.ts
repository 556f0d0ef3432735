/**
 * Whole-object examples for the API reference, taken from a real run (a 14-page PDF and a photo
 * through every stage) and shortened. Field-level examples in the schemas show one value each; these
 * show how the pieces fit together. A test parses every example with its schema, so they cannot drift
 * from what the API really answers.
 */
const JOB = "job_01M7Z0B49TVT6S69VX7RGGJ5TS";
const PDF = "file_01M7Z0B34YEFSXHE40ED6W0MJM";
const JPG = "file_01M7Z0B3X9KZMYTNG3ZA73D6A4";
const output = (file: string, name: string) => `/v1/jobs/${JOB}/files/${file}/outputs/${name}`;

export const fileExample = {
  id: PDF,
  name: "tracemonkey.pdf",
  size: 1016315,
  contentType: "application/pdf",
  sha256: "3662ff519e485810520552bf301d8c3b2b917fd2f83303f4965d7abed367e113",
  createdAt: "2026-11-21T12:12:19.100Z",
};

export const createJobExample = {
  files: [PDF, JPG],
  stages: ["extract", "analyze", "enrich", "thumbnail", "index"],
  options: { thumbnail: { size: 256, format: "jpeg" } },
};

const counts = { total: 2, pending: 0, processing: 0, completed: 2, failed: 0, cancelled: 0 };
const timing = (durationMs: number) => ({
  attempts: 1,
  startedAt: "2026-11-21T12:12:20.290Z",
  completedAt: "2026-11-21T12:12:22.933Z",
  durationMs,
});
const skipped = (code: string, message: string) => ({
  status: "skipped",
  ...timing(0),
  reason: { code, message },
});

export const jobSummaryExample = {
  id: JOB,
  status: "completed",
  stages: createJobExample.stages,
  createdAt: "2026-11-21T12:12:20.202Z",
  updatedAt: "2026-11-21T12:12:22.933Z",
  completedAt: "2026-11-21T12:12:22.933Z",
  counts,
};

export const jobExample = {
  ...jobSummaryExample,
  options: { thumbnail: { size: 256, fit: "inside", format: "jpeg", quality: 80 } },
  startedAt: "2026-11-21T12:12:20.290Z",
  files: [
    {
      fileId: PDF,
      name: "tracemonkey.pdf",
      size: 1016315,
      contentType: "application/pdf",
      status: "completed",
      attempts: 1,
      stages: {
        extract: {
          status: "completed",
          ...timing(1340),
          result: {
            format: "pdf",
            pageCount: 14,
            characters: 82804,
            hasTextLayer: true,
            textLayer: "full",
            metadata: { creator: "TeX", producer: "pdfeTeX-1.21a", pdfVersion: "1.4" },
            outputs: { text: output(PDF, "text") },
          },
        },
        analyze: {
          status: "completed",
          ...timing(201),
          result: {
            language: { code: "en", confidence: 0.551, reliable: false },
            words: 13892,
            pages: 14,
            readingTimeMinutes: 60,
            entityCounts: { email: 1, date: 1, money: 1, url: 5 },
            entities: [{ kind: "money", text: "$5.00", start: 2593, end: 2598, page: 1, value: "5.00 USD" }],
            outputs: { entities: output(PDF, "entities.json") },
          },
        },
        enrich: {
          status: "completed",
          ...timing(432),
          result: {
            provider: "local",
            keywords: [
              { term: "trace", score: 1 },
              { term: "loop", score: 0.505 },
            ],
            summary: "A typed trace is a trace annotated with a type for every variable on the trace.",
            documentType: { type: "report", confidence: 0.77 },
          },
        },
        thumbnail: {
          status: "completed",
          ...timing(90),
          result: {
            thumbnails: [
              {
                size: 256,
                width: 198,
                height: 256,
                fit: "inside",
                format: "jpeg",
                bytes: 11529,
                url: output(PDF, "thumbnail-256.jpg"),
              },
            ],
            source: {
              width: 198,
              height: 256,
              imageFormat: "pdf",
              orientation: 1,
              decode: "pdfium",
              page: { number: 1, widthPt: 612, heightPt: 792 },
              pageCount: 14,
            },
          },
        },
        index: {
          status: "completed",
          ...timing(17),
          result: { sections: 14, characters: 82791, pages: 14, truncated: false },
        },
      },
    },
    {
      fileId: JPG,
      name: "wood.jpg",
      size: 525520,
      contentType: "image/jpeg",
      status: "completed",
      attempts: 1,
      stages: {
        extract: {
          status: "completed",
          ...timing(12),
          result: { format: "image", imageFormat: "jpeg", width: 2560, height: 1920, megapixels: 4.92 },
        },
        analyze: skipped(
          "no_text",
          "the file has no text to analyze (an image, or a scan without a text layer)",
        ),
        enrich: skipped("dependency_failed", "stage 'analyze' did not complete"),
        thumbnail: {
          status: "completed",
          ...timing(240),
          result: {
            thumbnails: [
              {
                size: 256,
                width: 256,
                height: 192,
                fit: "inside",
                format: "jpeg",
                bytes: 7081,
                url: output(JPG, "thumbnail-256.jpg"),
              },
            ],
          },
        },
        index: skipped("no_text", "the file has no text to index"),
      },
    },
  ],
  filesNextCursor: null,
};

export const jobListExample = { jobs: [jobSummaryExample], nextCursor: null };

const event = (seq: number, type: string, extra: Record<string, unknown> = {}) => ({
  id: `evt_${JOB.slice(4)}_${seq}`,
  seq,
  type,
  jobId: JOB,
  timestamp: "2026-11-21T12:12:20.290Z",
  data: {},
  ...extra,
});

export const eventListExample = {
  events: [
    event(1, "job.created", { data: { files: 2, stages: createJobExample.stages } }),
    event(2, "job.started"),
    event(3, "job.stage_started", { fileId: PDF, stage: "extract", data: { attempt: 1 } }),
    event(4, "job.stage_completed", { fileId: PDF, stage: "extract", data: { durationMs: 1340 } }),
  ],
  nextAfter: 4,
  ended: false,
};

export const eventStreamExample =
  "retry: 3000\n\n" +
  eventListExample.events.map((item) => `id: ${item.seq}\ndata: ${JSON.stringify(item)}\n\n`).join("");

export const searchResultsExample = {
  results: [
    {
      fileId: PDF,
      jobId: JOB,
      name: "tracemonkey.pdf",
      page: 7,
      snippet: "…Trace Tree Optimization This section explains how a recorded trace is translated…",
      highlights: [
        { start: 1, end: 6 },
        { start: 7, end: 11 },
        { start: 62, end: 67 },
      ],
      snippetHtml:
        "…<mark>Trace</mark> <mark>Tree</mark> Optimization This section explains how a recorded " +
        "<mark>trace</mark> is translated…",
      score: 0.000004,
    },
  ],
  nextCursor: "eyJvIjoyLCJjIjoiZWZhYTRhZmJkZDBiZjA3MyJ9",
};
