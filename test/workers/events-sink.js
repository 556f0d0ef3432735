// A stand-in for "another Worker" that consumes Sluice's events queue: it stores every event of every
// delivery it receives (including duplicates) and serves them back to the tests at GET /events?jobId=….
export default {
  async queue(batch, env) {
    for (const message of batch.messages) {
      const { tenantId, jobId, events } = message.body;
      for (const event of events) {
        await env.SINK.put(
          `${jobId}/${String(event.seq).padStart(8, "0")}/${message.id}`,
          JSON.stringify({ tenantId, messageId: message.id, event }),
        );
      }
      message.ack();
    }
  },
  async fetch(request, env) {
    const jobId = new URL(request.url).searchParams.get("jobId") ?? "";
    const listed = await env.SINK.list({ prefix: `${jobId}/` });
    const bodies = await Promise.all(listed.keys.map((key) => env.SINK.get(key.name, "json")));
    return Response.json(bodies);
  },
};
