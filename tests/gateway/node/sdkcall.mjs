// One chat and one stream with the openai SDK against BASE_URL; prints what came back as JSON.
// Run as its own process so NODE_EXTRA_CA_CERTS (read at start) decides which CA it trusts.
import OpenAI from 'openai';

const [baseURL, apiKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, defaultHeaders: { 'x-grokpulse-client': 'node-tls' } });
const messages = [{ role: 'user', content: 'hi' }];
try {
  const completion = await client.chat.completions.create({ model: 'grok-4', messages });
  let streamed = '';
  for await (const chunk of await client.chat.completions.create({ model: 'grok-4', messages, stream: true }))
    streamed += chunk.choices[0]?.delta?.content ?? '';
  console.log(JSON.stringify({ ok: true, content: completion.choices[0].message.content, streamed }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, name: e.constructor.name, message: String(e.cause?.code ?? e.message) }));
}
