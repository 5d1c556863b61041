/** A modal dialog on the native <dialog> element: focus stays inside, Escape cancels, focus returns after. */
import { type ReactNode, useEffect, useRef } from 'react';

type Props = {
  title: string;
  open: boolean;
  onClose(): void;
  children: ReactNode;
  /** Accessible description id inside children, if any. */
  describedBy?: string;
};

export function Dialog({ title, open, onClose, children, describedBy }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const opener = document.activeElement as HTMLElement | null;
      dialog.showModal();
      // showModal focuses the first focusable element (the close button); the form's field comes first.
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
      return () => opener?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="dialog-title"
      {...(describedBy ? { 'aria-describedby': describedBy } : {})}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-head">
        <h2 id="dialog-title">{title}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>
      {open ? children : null}
    </dialog>
  );
}
