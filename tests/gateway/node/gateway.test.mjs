// The official openai SDK (maxRetries 0 unless said) pointed at grokpulse gateway, with the
// simulator as the upstream: chat, streaming, a 429 storm, an outage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startStack, quietScenario, UPSTREAM_KEY } from './harness.mjs';

const messages = [{ role: 'user', content: 'Say something short.' }];

test('chat and streaming come back as the upstream sent them', async () => {
  const stack = await startStack(quietScenario());
  try {
    const client = new OpenAI({ baseURL: stack.baseURL, apiKey: stack.token, maxRetries: 0,
      defaultHeaders: { 'x-grokpulse-client': 'node-chat' } });
    const { data: completion, response } = await client.chat.completions
      .create({ model: 'grok-4', messages }).withResponse();
    assert.ok(completion.choices[0].message.content.length > 0);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.ok(completion.usage.total_tokens > 0);
    assert.match(response.headers.get('x-request-id'), /^sim-/);

    const stream = await client.chat.completions.create({ model: 'grok-4', messages, stream: true });
    let text = '';
    let chunks = 0;
    let finish = null;
    for await (const chunk of stream) {
      chunks += 1;
      if (chunk.choices[0]?.delta?.content) text += chunk.choices[0].delta.content;
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
    }
    assert.ok(chunks > 3, `chunks ${chunks}`);
    assert.ok(text.length > 0);
    assert.equal(finish, 'stop');

    const health = await stack.health();
    assert.equal(health.clients['node-chat'].succeeded, 2);

    // The upstream key is no gateway token.
    const wrong = new OpenAI({ baseURL: stack.baseURL, apiKey: UPSTREAM_KEY, maxRetries: 0 });
    await assert.rejects(wrong.chat.completions.create({ model: 'grok-4', messages }),
      (e) => e instanceof OpenAI.AuthenticationError && e.status === 401);
  } finally {
    stack.stop();
  }
});

test('responses.create, plain and streamed, through the gateway', async () => {
  const stack = await startStack(quietScenario());
  try {
    const client = new OpenAI({ baseURL: stack.baseURL, apiKey: stack.token, maxRetries: 0,
      defaultHeaders: { 'x-grokpulse-client': 'node-responses' } });
    const response = await client.responses.create({ model: 'grok-4', input: 'Say something short.' });
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    assert.ok(response.output_text.length > 0, 'the SDK found output text');
    assert.ok(response.usage.input_tokens > 0 && response.usage.output_tokens > 0);

    const stream = await client.responses.create({ model: 'grok-4', input: messages, stream: true });
    let text = '';
    let completed = null;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.ok(text.length > 0);
    assert.equal(completed?.status, 'completed');

    const health = await stack.health();
    assert.equal(health.clients['node-responses'].succeeded, 2);

    const wrong = new OpenAI({ baseURL: stack.baseURL, apiKey: UPSTREAM_KEY, maxRetries: 0 });
    await assert.rejects(wrong.responses.create({ model: 'grok-4', input: 'hi' }),
      (e) => e instanceof OpenAI.AuthenticationError && e.status === 401);
    await assert.rejects(client.responses.create({ model: 'grok-4', input: 42 }),
      (e) => e instanceof OpenAI.BadRequestError && e.status === 400);
  } finally {
    stack.stop();
  }
});

test('a 429 storm upstream: every SDK call succeeds once, paced by the gateway', async () => {
  const stack = await startStack(quietScenario({ wording: 'xai', limits: { requests_per_second: 4, burst: 2 } }));
  try {
    const client = new OpenAI({ baseURL: stack.baseURL, apiKey: stack.token, maxRetries: 0 });
    const calls = Array.from({ length: 24 }, (_, i) =>
      client.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: `q${i}` }] }));
    const results = await Promise.allSettled(calls);
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(failed.length, 0, failed.map((f) => f.reason?.message).join('; '));
    const stats = await stack.simStats();
    const rejected = stats.statuses['429'] ?? 0;
    assert.equal(stats.accepted, 24);
    assert.ok(rejected < 24, `upstream 429s ${rejected}: the gateway must pace, not hammer`);
  } finally {
    stack.stop();
  }
});

for (const maxRetries of [0, 2]) {
  test(`an upstream outage: one clean error per call, no retry storm (SDK maxRetries ${maxRetries})`, async () => {
    const stack = await startStack(
      quietScenario({ outages: [{ start_s: 0, duration_s: 600, status: 503 }] }), ['--max-attempts', '3', '--deadline', '4000']);
    try {
      const client = new OpenAI({ baseURL: stack.baseURL, apiKey: stack.token, maxRetries });
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => client.chat.completions.create({ model: 'grok-4', messages })));
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        const e = r.reason;
        assert.ok(e instanceof OpenAI.APIError, String(e));
        assert.ok([502, 503, 504].includes(e.status), `status ${e.status}`);
        assert.ok(['server_error', 'circuit_open', 'retry_budget_exhausted', 'deadline_exceeded'].includes(e.code), `code ${e.code}`);
        assert.ok(e.message.length > 0);
      }
      const health = await stack.health();
      assert.equal(health.clients.default.requests, 4, 'the SDK sent each call once');
      const stats = await stack.simStats();
      assert.ok(stats.requests <= 4 * 3, `upstream saw ${stats.requests} requests`);
    } finally {
      stack.stop();
    }
  });
}
