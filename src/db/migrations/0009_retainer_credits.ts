/**
 * R53 + R65: a correction of an invoice that drew retainers gives the credited draw back.
 * The corrective invoice holds the give-back as a **negative** application of the same
 * retainer (a reversing row), so the applications of confirmed invoices stay the retainer's
 * ledger: `used_amount = sum(applications on confirmed invoices)`.
 *
 * The trigger keeps that ledger immutable and well-formed: applications of a confirmed
 * invoice are never changed or deleted (only drafts' are), a negative application sits only
 * on a corrective invoice and a positive one only on an ordinary invoice.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE retainer_applications DROP CONSTRAINT retainer_applications_amount_check;
    ALTER TABLE retainer_applications ADD CONSTRAINT retainer_applications_amount_check CHECK (amount <> 0);

    CREATE FUNCTION retainer_applications_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      inv_status text;
      corrects bigint;
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT status INTO inv_status FROM invoices
         WHERE contract_id = OLD.contract_id AND id = OLD.invoice_id;
        IF inv_status = 'Confirmed' THEN
          RAISE EXCEPTION 'retainer applications of confirmed invoice % never change', OLD.invoice_id;
        END IF;
      END IF;
      IF TG_OP = 'DELETE' THEN
        RETURN OLD;
      END IF;
      SELECT status, corrects_invoice_id INTO inv_status, corrects FROM invoices
       WHERE contract_id = NEW.contract_id AND id = NEW.invoice_id;
      IF inv_status = 'Confirmed' THEN
        RAISE EXCEPTION 'retainer applications of confirmed invoice % never change', NEW.invoice_id;
      END IF;
      IF (NEW.amount < 0) <> (corrects IS NOT NULL) THEN
        RAISE EXCEPTION 'invoice % cannot hold a retainer application of %', NEW.invoice_id, NEW.amount;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER retainer_applications_guard BEFORE INSERT OR UPDATE OR DELETE ON retainer_applications
      FOR EACH ROW EXECUTE FUNCTION retainer_applications_guard();
  `.execute(db);
}
