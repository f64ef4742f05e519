/**
 * `node --import tsx bench/multispeak-xml.ts [--seconds N]`
 *
 * The MultiSpeak XML codec alone, without HTTP: parsing a ~2 KB 3.0 GetLatestReadingByMeterNo
 * request into its envelope, version and header (the server's per-request cost), writing the
 * response with one meterRead and parsing that response (the client's), writing a Fault, and
 * streaming a 10,000-meterRead GetReadingsByDate response through `envelopeChunks` and parsing
 * it back (a client's GetAll page). Prints
 * ops/s, µs per op and CPU µs per op for each, with the machine and its load.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseEnvelope } from '../adapters/multispeak/xml/envelope.js';
import { MULTISPEAK_30 } from '../adapters/multispeak/xml/namespaces.js';
import { parseXml } from '../adapters/multispeak/xml/parse.js';
import { redactXml } from '../adapters/multispeak/xml/redact.js';
import { containerElement, envelopeChunks, faultEnvelope, soapEnvelope, textElement } from '../adapters/multispeak/xml/write.js';
import { msgHeaderXml } from '../adapters/multispeak/xml/write-header.js';
import { describeMachine } from './machine.js';
import { trackPeakRss } from './measure.js';

const REQUEST = readFileSync(new URL('../adapters/multispeak/__fixtures__/xml-v3-get-latest-reading.xml', import.meta.url));

function meterRead(meterNo: string): string {
  const reading = (units: string, value: string, dateTime: string): string =>
    `<readingValue>${textElement('units', units)}${textElement('value', value)}${textElement('readingValueType', 'Energy')}${textElement('dateTime', dateTime)}</readingValue>`;
  return containerElement(
    'meterRead',
    textElement('meterNo', meterNo) +
      textElement('deviceID', `EP-${meterNo}`) +
      textElement('readingDate', '2024-05-01T00:00:00-05:00') +
      textElement('posKWh', '10432') +
      textElement('negKWh', '17') +
      textElement('kW', '4.82') +
      textElement('kWDateTime', '2024-04-30T18:15:00-05:00') +
      `<TOUReadings><TOUReading>${textElement('ratePeriod', '1')}${textElement('kWh', '6200')}</TOUReading><TOUReading>${textElement('ratePeriod', '2')}${textElement('kWh', '4232')}</TOUReading></TOUReadings>` +
      `<readingValues>${reading('kWh', '10432.5500', '2024-05-01T05:00:00Z')}${reading('V', '241.6', '2024-05-01T05:00:00Z')}</readingValues>`,
    { objectID: `R-${meterNo}-20240501`, utility: 'ExampleCoop' },
  );
}

function latestReadingResponse(meterNo: string): string {
  const header = msgHeaderXml({ userID: 'hub', pwd: 'secret', appName: 'Busbar', appVersion: '0.1.0', company: 'ExampleCoop' });
  const result = meterRead(meterNo).replace(/^<meterRead|<\/meterRead>$/g, (tag) => tag.replace('meterRead', 'GetLatestReadingByMeterNoResult'));
  return soapEnvelope(header, containerElement('GetLatestReadingByMeterNoResponse', result, undefined, MULTISPEAK_30));
}

/**
 * Runs `run` for about `seconds` and prints ops/s and µs per op by the wall clock, and the CPU
 * time per op (user + system): on a shared machine the wall clock includes waiting for a core.
 */
function measure(name: string, seconds: number, bytes: number, run: () => unknown): void {
  for (let warm = 0; warm < 2000; warm++) run();
  let ops = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let now = started;
  while (now < deadline) {
    for (let batch = 0; batch < 200; batch++) run();
    ops += 200;
    now = process.hrtime.bigint();
  }
  const used = process.cpuUsage(cpu);
  const elapsed = Number(now - started) / 1e9;
  const wallPerOp = (elapsed / ops) * 1e6;
  const cpuPerOp = (used.user + used.system) / ops;
  console.log(
    `${name.padEnd(48)} ${String(bytes).padStart(6)} B  ${Math.round(ops / elapsed).toLocaleString('en-US').padStart(9)} ops/s  ${wallPerOp.toFixed(1).padStart(6)} µs/op  ${cpuPerOp.toFixed(1).padStart(6)} µs CPU/op`,
  );
}

async function measureStream(count: number): Promise<void> {
  const header = msgHeaderXml({ appName: 'Busbar', company: 'ExampleCoop', objectsRemaining: '0' });
  function* reads(): Generator<string> {
    for (let index = 0; index < count; index++) yield meterRead(String(index).padStart(8, '0'));
  }
  const open = `<GetReadingsByDateResponse xmlns="${MULTISPEAK_30}"><GetReadingsByDateResult>`;
  const close = '</GetReadingsByDateResult></GetReadingsByDateResponse>';
  let written: string[] = [];
  for (let run = 0; run < 3; run++) {
    const started = process.hrtime.bigint();
    let bytes = 0;
    written = [];
    for await (const chunk of envelopeChunks(header, open, reads(), close)) {
      bytes += Buffer.byteLength(chunk);
      written.push(chunk);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `write stream GetReadingsByDate, ${count} meterReads: ${(bytes / 1e6).toFixed(1)} MB in ${written.length} chunks, ${(seconds * 1000).toFixed(0)} ms = ${(bytes / 1e6 / seconds).toFixed(0)} MB/s, ${Math.round(count / seconds).toLocaleString('en-US')} meterReads/s`,
    );
  }
  const page = Buffer.from(written.join(''));
  for (let run = 0; run < 3; run++) {
    const rss = trackPeakRss(5);
    const started = process.hrtime.bigint();
    const message = parseEnvelope(page);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const readsParsed = message.body.children[0]?.children.length ?? 0;
    console.log(
      `parse GetReadingsByDate response, ${readsParsed} meterReads: ${(page.length / 1e6).toFixed(1)} MB in ${(seconds * 1000).toFixed(0)} ms = ${(page.length / 1e6 / seconds).toFixed(0)} MB/s, peak RSS ${rss.stop().toFixed(0)} MiB`,
    );
  }
}

export async function runMultispeakXmlBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { seconds: { type: 'string', default: '2' } } });
  const seconds = Number(values.seconds);
  const requestText = REQUEST.toString('utf8');
  const response = latestReadingResponse('00123456');
  const fault = faultEnvelope({ code: 'Client', faultstring: 'Authentication failed for ExampleCoop/NorthwindCIS' }, msgHeaderXml({ appName: 'Busbar', company: 'ExampleCoop' }));
  measure('parseXml GetLatestReadingByMeterNo (bytes)', seconds, REQUEST.length, () => parseXml(REQUEST));
  measure('parseEnvelope GetLatestReadingByMeterNo (bytes)', seconds, REQUEST.length, () => parseEnvelope(REQUEST));
  measure('parseEnvelope GetLatestReadingByMeterNo (text)', seconds, REQUEST.length, () => parseEnvelope(requestText));
  measure('write GetLatestReadingByMeterNoResponse', seconds, Buffer.byteLength(response), () => latestReadingResponse('00123456'));
  measure('parseEnvelope GetLatestReadingByMeterNoResponse', seconds, Buffer.byteLength(response), () => parseEnvelope(response));
  measure('write Fault', seconds, fault.length, () => faultEnvelope({ code: 'Client', faultstring: 'Authentication failed for ExampleCoop/NorthwindCIS' }));
  measure('redactXml GetLatestReadingByMeterNo', seconds, REQUEST.length, () => redactXml(requestText));
  await measureStream(10_000);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`machine: ${describeMachine()}, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  console.log(`command: node --import tsx bench/multispeak-xml.ts ${process.argv.slice(2).join(' ')}`.trimEnd());
  runMultispeakXmlBenchmark(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
