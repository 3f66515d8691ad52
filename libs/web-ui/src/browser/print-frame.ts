/**
 * Opens the browser's print dialog for a PDF (a blob: URL) from a hidden frame with the id
 * `frameId`; the frame of the last print is replaced by the next one. A browser that refuses to
 * print from a frame leaves the page's own "open badge" link or button to open it in a tab.
 * The frame's class is its id (each page's stylesheet hides it).
 *
 * Browser code: outside the services' build (libs/web-ui/src/browser is excluded from their
 * tsconfigs), bundled into the pages by scripts/build-web.mjs.
 */
export function printPdfFromFrame(url: string, frameId: string): void {
  document.getElementById(frameId)?.remove();
  const frame = document.createElement('iframe');
  frame.id = frameId;
  frame.title = 'Badge';
  frame.className = frameId;
  frame.src = url;
  frame.addEventListener('load', () => {
    try {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
    } catch {
      // the page's link or button opens the badge in a tab instead
    }
  });
  document.body.append(frame);
}
