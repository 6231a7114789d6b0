// The source a new VM starts with: the hello-world boot sector from examples/.
import hello from '../../../examples/hello.asm?raw';

export const DEFAULT_SOURCE: string = hello;
