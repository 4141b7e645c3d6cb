/**
 * Sends a file to POST /api/v1/imports/{kind}/file with XMLHttpRequest, which (unlike fetch)
 * reports upload progress. The session cookie authenticates the request.
 */
export interface UploadResponse {
  status: number;
  body: Record<string, unknown> | null;
}

export function uploadImportFile(
  kind: string,
  sourceSystem: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<UploadResponse> {
  return new Promise((resolve, reject) => {
    const query = new URLSearchParams({ sourceSystem, fileName: file.name });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/imports/${kind.toLowerCase()}/file?${query}`);
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: Record<string, unknown> | null;
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        body = null; // an HTML error page from a proxy, say
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("network error"));
    xhr.send(file);
  });
}
