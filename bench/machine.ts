/** Describes the machine a benchmark ran on, printed with every result so figures stay comparable. */
import { cpus, totalmem, platform, release } from 'node:os';

export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(1);
  return `${cores.length} CPU (${model}), ${memoryGiB} GiB, ${platform()} ${release()}, Node ${process.version}`;
}
