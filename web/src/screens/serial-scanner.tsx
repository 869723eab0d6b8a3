import { useEffect, useRef, useState } from 'preact/hooks';
import { keyingWords, type Lang } from './keying-words';

/** The browser's barcode reader, where it exists (Chromium on Android, among others). */
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>;
}
type DetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

function detectorClass(): DetectorClass | undefined {
  return (globalThis as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
}

/** Scans a form's QR code with the camera; shows nothing where the browser has no barcode reader (typing works everywhere). */
export function SerialScanner({ lang, onSerial }: { lang: Lang; onSerial: (serial: string) => void }) {
  const w = keyingWords(lang);
  const [scanning, setScanning] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const Detector = detectorClass();

  useEffect(() => {
    if (!scanning || !Detector) return;
    let stream: MediaStream | undefined;
    let stopped = false;
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        if (!video.current || stopped) return;
        video.current.srcObject = stream;
        await video.current.play();
        const detector = new Detector({ formats: ['qr_code'] });
        while (!stopped) {
          const found = await detector.detect(video.current);
          const value = found[0]?.rawValue;
          if (value) {
            setScanning(false);
            onSerial(value);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      } catch {
        setScanning(false);
      }
    })();
    return () => {
      stopped = true;
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [scanning]);

  if (!Detector) return null;
  return (
    <div class="scanner">
      <button type="button" onClick={() => setScanning(!scanning)}>
        {scanning ? w.stopScan : w.scan}
      </button>
      {scanning && <video ref={video} muted playsInline aria-label={w.camera} />}
    </div>
  );
}
