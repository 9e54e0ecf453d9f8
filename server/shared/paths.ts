/** Where this project lives, for starting its own programs from anywhere. */
import path from 'node:path';

export const ROOT_DIR = path.resolve(import.meta.dirname, '../..');
