/** Test helper: the InputError a function throws (anything else, or nothing, fails the test). */
import { InputError } from '../../../canonical/index.js';

export function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}
