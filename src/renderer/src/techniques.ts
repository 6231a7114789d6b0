// How the UI names the virtualization techniques of DESIGN.md 2.3.

import { IMPLEMENTED_TECHNIQUES, type Technique } from '../../shared/api';

/** A short description of each technique for menus and tooltips. */
export const TECHNIQUE_LABELS: Record<Technique, string> = {
  native: 'native (no hypervisor)',
  emulate: 'emulate (software vCPU)',
  trap: 'trap-and-emulate',
  bt: 'binary translation',
  vt: 'hardware-assisted (VT)',
  pv: 'paravirtualization',
};

/** True when the engine can run the technique today. */
export const isImplemented = (t: Technique): boolean => IMPLEMENTED_TECHNIQUES.includes(t);
