import { execFile } from 'node:child_process';

/**
 * The text of a PDF, extracted with pdf-parse (pdf.js). pdf.js loads its worker with a dynamic
 * import, which jest's module sandbox does not allow, so the extraction runs in a plain Node process.
 */
export function pdfText(pdf: Buffer): Promise<string> {
  const script =
    "const { PDFParse } = require('pdf-parse'); const chunks = []; process.stdin.on('data', (c) => chunks.push(c)); " +
    "process.stdin.on('end', async () => { const parser = new PDFParse({ data: Buffer.concat(chunks) }); " +
    'process.stdout.write((await parser.getText()).text); await parser.destroy(); });';
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', script], { cwd: __dirname, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => (error ? reject(new Error(error.message)) : resolve(stdout)));
    child.stdin?.end(pdf);
  });
}
