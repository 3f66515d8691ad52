import { BrowserQRCodeReader, type IScannerControls } from '@zxing/browser';

/** The phone's camera reading QR codes (ZXing); the same code is reported once per few seconds. */
export class Camera {
  private controls: IScannerControls | undefined;
  private last = { text: '', at: 0 };

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly onCode: (text: string) => void,
  ) {}

  get running(): boolean {
    return this.controls !== undefined;
  }

  static available(): boolean {
    return typeof navigator.mediaDevices?.getUserMedia === 'function';
  }

  async start(): Promise<void> {
    if (this.controls) return;
    const reader = new BrowserQRCodeReader(undefined, { delayBetweenScanAttempts: 120 });
    this.controls = await reader.decodeFromConstraints(
      { audio: false, video: { facingMode: 'environment' } },
      this.video,
      (result) => {
        if (!result) return;
        const text = result.getText();
        const now = Date.now();
        if (text === this.last.text && now - this.last.at < 3000) return;
        this.last = { text, at: now };
        this.onCode(text);
      },
    );
  }

  stop(): void {
    this.controls?.stop();
    this.controls = undefined;
  }
}
