// Worker-thread entry of an engine host: wires EngineRunner to the parent port.
import { parentPort } from 'node:worker_threads';
import { type HostCommand, transferablesOf } from './protocol';
import { EngineRunner } from './runner';

if (!parentPort) throw new Error('engine-worker must run in a worker thread');
const port = parentPort;
const runner = new EngineRunner((event) => port.postMessage(event, transferablesOf(event)));
port.on('message', (command: HostCommand) => runner.handle(command));
