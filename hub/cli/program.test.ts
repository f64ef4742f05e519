import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { createProgram, runCli } from './program.js';

function captureIo(env: NodeJS.ProcessEnv = {}, cwd: string = mkdtempSync(join(tmpdir(), 'busbar-cli-'))): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (text) => void out.push(text), err: (text) => void err.push(text), env, cwd, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

/** Every command path of the program: ['start'], ['dlq', 'list'], ... */
function commandPaths(command: Command, prefix: string[] = []): Array<{ path: string[]; command: Command }> {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return [{ path, command: sub }, ...commandPaths(sub, path)];
  });
}

describe('busbar CLI', () => {
  const paths = commandPaths(createProgram(captureIo()));

  it('has the commands of the runbook', () => {
    expect(paths.map(({ path }) => path.join(' '))).toEqual([
      'start',
      'migrate',
      'dlq',
      'dlq list',
      'dlq replay',
      'events',
      'events tail',
      'quarantine',
      'quarantine list',
      'quarantine show',
      'vee',
      'vee exceptions',
      'vee exceptions list',
      'vee exceptions resolve',
      'vee estimate',
      'aggregate',
      'determinants',
      'export',
      'export cmep',
      'import',
      'config',
      'config check',
      'config reference',
    ]);
  });

  it.each(paths.map(({ path, command }) => [path.join(' '), path, command] as const))('`%s --help` exits 0 with a description and its options', async (_name, path, command) => {
    const io = captureIo();
    expect(await runCli([...path, '--help'], io)).toBe(0);
    // Help wraps long lines: compare with whitespace collapsed.
    const help = io.stdout().replace(/\s+/g, ' ');
    expect(help).toContain(`Usage: busbar ${path.join(' ')}`);
    expect(command.description().length).toBeGreaterThan(10);
    expect(help).toContain(command.description());
    for (const option of command.options) expect(help).toContain(option.flags);
    expect(help).toContain('--help');
    expect(help).toContain('-c, --config <path>');
  });

  it('shows the global --config option at the top level', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout()).toContain('-c, --config <path>');
  });

  it('exits 2 with the key, value and expectation for a bad configuration, without a stack trace', async () => {
    const io = captureIo();
    writeFileSync(join(io.cwd, 'bad.yaml'), 'http:\n  port: eighty\n');
    expect(await runCli(['--config', 'bad.yaml', 'config', 'check'], io)).toBe(2);
    expect(io.stderr()).toBe('error: invalid configuration http.port = "eighty": expected an integer 1-65535');
  });

  it('exits 2 for a bad environment override', async () => {
    const io = captureIo({ BUSBAR_HTTP__PROT: '80' });
    expect(await runCli(['config', 'check'], io)).toBe(2);
    expect(io.stderr()).toContain('BUSBAR_HTTP__PROT');
  });

  it('prints the effective configuration with secrets redacted', async () => {
    const io = captureIo({ AMQP_URL: 'amqp://hub:s3cret@mq:5672', CI_TOKEN: 'ci-token-0123456789abc' });
    writeFileSync(join(io.cwd, 'busbar.yaml'), 'auth:\n  tokens:\n    - { name: ci, roles: [reader], tokenEnv: CI_TOKEN }\n');
    expect(await runCli(['config', 'check'], io)).toBe(0);
    expect(io.stdout()).toContain('configuration is valid');
    expect(io.stdout()).toContain('url: amqp://hub:***@mq:5672');
    expect(io.stdout()).not.toContain('s3cret');
    expect(io.stdout()).not.toContain('ci-token-0123456789abc');
  });

  it('prints the configuration reference', async () => {
    const io = captureIo();
    expect(await runCli(['config', 'reference'], io)).toBe(0);
    expect(io.stdout()).toContain('`BUSBAR_HTTP__BODY_LIMIT_BYTES`');
  });

  it('exits 1 for an unknown command', async () => {
    const io = captureIo();
    expect(await runCli(['launch'], io)).toBe(1);
    expect(io.stderr()).toContain("unknown command 'launch'");
  });
});
