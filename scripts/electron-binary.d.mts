/** Path of a runnable Electron binary, or undefined when it was never downloaded. */
export function electronBinary(): string | undefined;
