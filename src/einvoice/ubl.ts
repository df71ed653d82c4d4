/**
 * R80: the EN 16931 model written as OASIS UBL 2.1: an `Invoice` (type 380) or, for a
 * correction, a `CreditNote` (type 381), following the CEN syntax binding for UBL. Element
 * order is the UBL schema's.
 */
import { create } from 'xmlbuilder2';
import type {
  EnAllowance,
  EnInvoice,
  EnLine,
  EnParty,
  EnVat,
  EnVatBreakdown,
} from '../domain/einvoice/model.js';
import { child, leaf, XMLNS, type Namespace, type Node } from './xml-tree.js';

const CAC: Namespace = {
  uri: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  prefix: 'cac',
};
const CBC: Namespace = {
  uri: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  prefix: 'cbc',
};
const ROOT = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
};

function taxScheme(parent: Node): void {
  leaf(child(parent, CAC, 'TaxScheme'), CBC, 'ID', 'VAT');
}

/** cac:TaxCategory / cac:ClassifiedTaxCategory: BT-151/152, BT-95/96, BT-118/119/120. */
function taxCategory(parent: Node, name: string, vat: EnVat, exemptionReason?: string | null) {
  const c = child(parent, CAC, name);
  leaf(c, CBC, 'ID', vat.category);
  leaf(c, CBC, 'Percent', vat.rate);
  leaf(c, CBC, 'TaxExemptionReason', exemptionReason);
  taxScheme(c);
}

function party(parent: Node, name: string, p: EnParty): void {
  const party = child(child(parent, CAC, name), CAC, 'Party');
  if (p.electronicAddress) {
    leaf(party, CBC, 'EndpointID', p.electronicAddress.value, {
      schemeID: p.electronicAddress.scheme,
    });
  }
  const a = child(party, CAC, 'PostalAddress');
  leaf(a, CBC, 'StreetName', p.address.line1);
  leaf(a, CBC, 'AdditionalStreetName', p.address.line2);
  leaf(a, CBC, 'CityName', p.address.city);
  leaf(a, CBC, 'PostalZone', p.address.postCode);
  leaf(a, CBC, 'CountrySubentity', p.address.subdivision);
  leaf(child(a, CAC, 'Country'), CBC, 'IdentificationCode', p.address.country);
  if (p.vatId) {
    const t = child(party, CAC, 'PartyTaxScheme');
    leaf(t, CBC, 'CompanyID', p.vatId);
    taxScheme(t);
  }
  const legal = child(party, CAC, 'PartyLegalEntity');
  leaf(legal, CBC, 'RegistrationName', p.name);
  leaf(legal, CBC, 'CompanyID', p.legalRegistrationId);
  if (p.phone || p.email) {
    const c = child(party, CAC, 'Contact');
    leaf(c, CBC, 'Telephone', p.phone);
    leaf(c, CBC, 'ElectronicMail', p.email);
  }
}

function allowance(parent: Node, a: EnAllowance, currency: string): void {
  const ac = child(parent, CAC, 'AllowanceCharge');
  leaf(ac, CBC, 'ChargeIndicator', 'false');
  leaf(ac, CBC, 'AllowanceChargeReason', a.reason);
  leaf(ac, CBC, 'Amount', a.amount, { currencyID: currency });
  taxCategory(ac, 'TaxCategory', a.vat);
}

function subtotal(parent: Node, b: EnVatBreakdown, currency: string): void {
  const s = child(parent, CAC, 'TaxSubtotal');
  leaf(s, CBC, 'TaxableAmount', b.taxableAmount, { currencyID: currency });
  leaf(s, CBC, 'TaxAmount', b.taxAmount, { currencyID: currency });
  taxCategory(s, 'TaxCategory', b.vat, b.exemptionReason);
}

function line(parent: Node, l: EnLine, credit: boolean, currency: string): void {
  const ln = child(parent, CAC, credit ? 'CreditNoteLine' : 'InvoiceLine');
  leaf(ln, CBC, 'ID', l.id);
  leaf(ln, CBC, credit ? 'CreditedQuantity' : 'InvoicedQuantity', l.quantity, {
    unitCode: l.unitCode,
  });
  leaf(ln, CBC, 'LineExtensionAmount', l.netAmount, { currencyID: currency });
  const period = child(ln, CAC, 'InvoicePeriod');
  leaf(period, CBC, 'StartDate', l.period.start);
  leaf(period, CBC, 'EndDate', l.period.end);
  const item = child(ln, CAC, 'Item');
  leaf(item, CBC, 'Name', l.name);
  taxCategory(item, 'ClassifiedTaxCategory', l.vat);
  const price = child(ln, CAC, 'Price');
  leaf(price, CBC, 'PriceAmount', l.price, { currencyID: currency });
  if (l.baseQuantity) leaf(price, CBC, 'BaseQuantity', l.baseQuantity, { unitCode: l.unitCode });
}

/** The UBL 2.1 XML of an EN 16931 invoice or credit note. */
export function writeUbl(inv: EnInvoice): string {
  const credit = inv.typeCode === '381';
  const rootName = credit ? 'CreditNote' : 'Invoice';
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(ROOT[rootName], rootName);
  root.att(XMLNS, 'xmlns:cac', CAC.uri).att(XMLNS, 'xmlns:cbc', CBC.uri);
  const cur = { currencyID: inv.currency };

  leaf(root, CBC, 'CustomizationID', inv.specificationId);
  leaf(root, CBC, 'ProfileID', inv.businessProcess);
  leaf(root, CBC, 'ID', inv.number);
  leaf(root, CBC, 'IssueDate', inv.issueDate);
  // UBL 2.1's CreditNote has no DueDate: there BT-9 goes to the payment means.
  if (!credit) leaf(root, CBC, 'DueDate', inv.dueDate);
  leaf(root, CBC, credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode', inv.typeCode);
  leaf(root, CBC, 'Note', inv.note);
  leaf(root, CBC, 'DocumentCurrencyCode', inv.currency);
  leaf(root, CBC, 'BuyerReference', inv.buyerReference);
  const period = child(root, CAC, 'InvoicePeriod');
  leaf(period, CBC, 'StartDate', inv.invoicingPeriod.start);
  leaf(period, CBC, 'EndDate', inv.invoicingPeriod.end);
  if (inv.purchaseOrder) leaf(child(root, CAC, 'OrderReference'), CBC, 'ID', inv.purchaseOrder);
  if (inv.precedingInvoice) {
    const ref = child(child(root, CAC, 'BillingReference'), CAC, 'InvoiceDocumentReference');
    leaf(ref, CBC, 'ID', inv.precedingInvoice.number);
    leaf(ref, CBC, 'IssueDate', inv.precedingInvoice.issueDate);
  }
  party(root, 'AccountingSupplierParty', inv.seller);
  party(root, 'AccountingCustomerParty', inv.buyer);
  if (inv.deliverToCountry) {
    const address = child(
      child(child(root, CAC, 'Delivery'), CAC, 'DeliveryLocation'),
      CAC,
      'Address',
    );
    leaf(child(address, CAC, 'Country'), CBC, 'IdentificationCode', inv.deliverToCountry);
  }
  if (inv.paymentMeans) {
    const pm = child(root, CAC, 'PaymentMeans');
    leaf(pm, CBC, 'PaymentMeansCode', inv.paymentMeans.code);
    if (credit) leaf(pm, CBC, 'PaymentDueDate', inv.dueDate);
    leaf(pm, CBC, 'PaymentID', inv.paymentMeans.remittanceInformation);
    const account = child(pm, CAC, 'PayeeFinancialAccount');
    leaf(account, CBC, 'ID', inv.paymentMeans.iban);
    leaf(account, CBC, 'Name', inv.paymentMeans.accountName);
    if (inv.paymentMeans.bic) {
      leaf(child(account, CAC, 'FinancialInstitutionBranch'), CBC, 'ID', inv.paymentMeans.bic);
    }
  }
  leaf(child(root, CAC, 'PaymentTerms'), CBC, 'Note', inv.paymentTerms);
  for (const a of inv.allowances) allowance(root, a, inv.currency);

  const taxTotal = child(root, CAC, 'TaxTotal');
  leaf(taxTotal, CBC, 'TaxAmount', inv.totals.taxTotal, cur);
  for (const b of inv.vatBreakdown) subtotal(taxTotal, b, inv.currency);

  const t = child(root, CAC, 'LegalMonetaryTotal');
  leaf(t, CBC, 'LineExtensionAmount', inv.totals.lineNet, cur);
  leaf(t, CBC, 'TaxExclusiveAmount', inv.totals.taxExclusive, cur);
  leaf(t, CBC, 'TaxInclusiveAmount', inv.totals.taxInclusive, cur);
  leaf(t, CBC, 'AllowanceTotalAmount', inv.totals.allowances, cur);
  leaf(t, CBC, 'PayableAmount', inv.totals.payable, cur);

  for (const l of inv.lines) line(root, l, credit, inv.currency);
  return doc.end({ prettyPrint: true });
}
