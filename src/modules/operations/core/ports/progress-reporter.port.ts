import { CompositePart } from '../operation-run';

/** How a handler reports progress; it never writes runs itself. */
export interface ProgressReporter {
  /** Real units only: `processed` of `total`. */
  counted(processed: number, total: number): Promise<void>;
  /** Enters the named phase from the type's catalog phases. */
  phase(key: string): Promise<void>;
  /** Replaces the composite parts and their states. */
  composite(parts: CompositePart[]): Promise<void>;
}
