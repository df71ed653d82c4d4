/**
 * R80: the EN 16931 model written as UN/CEFACT Cross Industry Invoice D16B
 * (`CrossIndustryInvoice`, type 380, or 381 for a correction), following the CEN syntax
 * binding for CII. Element order is the D16B schema's.
 */
import { create } from 'xmlbuilder2';
import type { EnInvoice, EnLine, EnParty, EnVat } from '../domain/einvoice/model.js';
import { child, leaf, XMLNS, type Namespace, type Node } from './xml-tree.js';

const RSM: Namespace = {
  uri: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  prefix: 'rsm',
};
const RAM: Namespace = {
  uri: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  prefix: 'ram',
};
const UDT: Namespace = {
  uri: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  prefix: 'udt',
};
const QDT: Namespace = {
  uri: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  prefix: 'qdt',
};

/** CII dates are YYYYMMDD with format code 102. */
function date(parent: Node, name: string, iso: string, ns: Namespace = UDT): void {
  leaf(child(parent, RAM, name), ns, 'DateTimeString', iso.replaceAll('-', ''), { format: '102' });
}

/** ram:ApplicableTradeTax of a line or ram:CategoryTradeTax of an allowance. */
function tradeTax(parent: Node, name: string, vat: EnVat): void {
  const t = child(parent, RAM, name);
  leaf(t, RAM, 'TypeCode', 'VAT');
  leaf(t, RAM, 'CategoryCode', vat.category);
  leaf(t, RAM, 'RateApplicablePercent', vat.rate);
}

function period(parent: Node, p: { start: string; end: string }): void {
  const s = child(parent, RAM, 'BillingSpecifiedPeriod');
  date(s, 'StartDateTime', p.start);
  date(s, 'EndDateTime', p.end);
}

function party(parent: Node, name: string, p: EnParty): void {
  const tp = child(parent, RAM, name);
  leaf(tp, RAM, 'Name', p.name);
  if (p.legalRegistrationId)
    leaf(child(tp, RAM, 'SpecifiedLegalOrganization'), RAM, 'ID', p.legalRegistrationId);
  if (p.phone || p.email) {
    const c = child(tp, RAM, 'DefinedTradeContact');
    if (p.phone)
      leaf(child(c, RAM, 'TelephoneUniversalCommunication'), RAM, 'CompleteNumber', p.phone);
    if (p.email) leaf(child(c, RAM, 'EmailURIUniversalCommunication'), RAM, 'URIID', p.email);
  }
  const a = child(tp, RAM, 'PostalTradeAddress');
  leaf(a, RAM, 'PostcodeCode', p.address.postCode);
  leaf(a, RAM, 'LineOne', p.address.line1);
  leaf(a, RAM, 'LineTwo', p.address.line2);
  leaf(a, RAM, 'CityName', p.address.city);
  leaf(a, RAM, 'CountryID', p.address.country);
  leaf(a, RAM, 'CountrySubDivisionName', p.address.subdivision);
  if (p.electronicAddress) {
    leaf(child(tp, RAM, 'URIUniversalCommunication'), RAM, 'URIID', p.electronicAddress.value, {
      schemeID: p.electronicAddress.scheme,
    });
  }
  if (p.vatId) {
    leaf(child(tp, RAM, 'SpecifiedTaxRegistration'), RAM, 'ID', p.vatId, { schemeID: 'VA' });
  }
}

function line(parent: Node, l: EnLine): void {
  const li = child(parent, RAM, 'IncludedSupplyChainTradeLineItem');
  leaf(child(li, RAM, 'AssociatedDocumentLineDocument'), RAM, 'LineID', l.id);
  leaf(child(li, RAM, 'SpecifiedTradeProduct'), RAM, 'Name', l.name);
  const price = child(
    child(li, RAM, 'SpecifiedLineTradeAgreement'),
    RAM,
    'NetPriceProductTradePrice',
  );
  leaf(price, RAM, 'ChargeAmount', l.price);
  leaf(price, RAM, 'BasisQuantity', l.baseQuantity, { unitCode: l.unitCode });
  leaf(child(li, RAM, 'SpecifiedLineTradeDelivery'), RAM, 'BilledQuantity', l.quantity, {
    unitCode: l.unitCode,
  });
  const s = child(li, RAM, 'SpecifiedLineTradeSettlement');
  tradeTax(s, 'ApplicableTradeTax', l.vat);
  period(s, l.period);
  leaf(
    child(s, RAM, 'SpecifiedTradeSettlementLineMonetarySummation'),
    RAM,
    'LineTotalAmount',
    l.netAmount,
  );
}

/** The CII D16B XML of an EN 16931 invoice or credit note. */
export function writeCii(inv: EnInvoice): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(RSM.uri, 'rsm:CrossIndustryInvoice');
  for (const ns of [RAM, UDT, QDT]) root.att(XMLNS, `xmlns:${ns.prefix}`, ns.uri);

  const ctx = child(root, RSM, 'ExchangedDocumentContext');
  if (inv.businessProcess) {
    leaf(
      child(ctx, RAM, 'BusinessProcessSpecifiedDocumentContextParameter'),
      RAM,
      'ID',
      inv.businessProcess,
    );
  }
  leaf(
    child(ctx, RAM, 'GuidelineSpecifiedDocumentContextParameter'),
    RAM,
    'ID',
    inv.specificationId,
  );

  const header = child(root, RSM, 'ExchangedDocument');
  leaf(header, RAM, 'ID', inv.number);
  leaf(header, RAM, 'TypeCode', inv.typeCode);
  date(header, 'IssueDateTime', inv.issueDate);
  if (inv.note) leaf(child(header, RAM, 'IncludedNote'), RAM, 'Content', inv.note);

  const tx = child(root, RSM, 'SupplyChainTradeTransaction');
  for (const l of inv.lines) line(tx, l);

  const agreement = child(tx, RAM, 'ApplicableHeaderTradeAgreement');
  leaf(agreement, RAM, 'BuyerReference', inv.buyerReference);
  party(agreement, 'SellerTradeParty', inv.seller);
  party(agreement, 'BuyerTradeParty', inv.buyer);
  if (inv.purchaseOrder) {
    leaf(
      child(agreement, RAM, 'BuyerOrderReferencedDocument'),
      RAM,
      'IssuerAssignedID',
      inv.purchaseOrder,
    );
  }

  const delivery = child(tx, RAM, 'ApplicableHeaderTradeDelivery');
  if (inv.deliverToCountry) {
    const address = child(child(delivery, RAM, 'ShipToTradeParty'), RAM, 'PostalTradeAddress');
    leaf(address, RAM, 'CountryID', inv.deliverToCountry);
  }

  const settlement = child(tx, RAM, 'ApplicableHeaderTradeSettlement');
  leaf(settlement, RAM, 'PaymentReference', inv.paymentMeans?.remittanceInformation);
  leaf(settlement, RAM, 'InvoiceCurrencyCode', inv.currency);
  if (inv.paymentMeans) {
    const pm = child(settlement, RAM, 'SpecifiedTradeSettlementPaymentMeans');
    leaf(pm, RAM, 'TypeCode', inv.paymentMeans.code);
    const account = child(pm, RAM, 'PayeePartyCreditorFinancialAccount');
    leaf(account, RAM, 'IBANID', inv.paymentMeans.iban);
    leaf(account, RAM, 'AccountName', inv.paymentMeans.accountName);
    if (inv.paymentMeans.bic) {
      leaf(
        child(pm, RAM, 'PayeeSpecifiedCreditorFinancialInstitution'),
        RAM,
        'BICID',
        inv.paymentMeans.bic,
      );
    }
  }
  for (const b of inv.vatBreakdown) {
    const t = child(settlement, RAM, 'ApplicableTradeTax');
    leaf(t, RAM, 'CalculatedAmount', b.taxAmount);
    leaf(t, RAM, 'TypeCode', 'VAT');
    leaf(t, RAM, 'ExemptionReason', b.exemptionReason);
    leaf(t, RAM, 'BasisAmount', b.taxableAmount);
    leaf(t, RAM, 'CategoryCode', b.vat.category);
    leaf(t, RAM, 'RateApplicablePercent', b.vat.rate);
  }
  period(settlement, inv.invoicingPeriod);
  for (const a of inv.allowances) {
    const ac = child(settlement, RAM, 'SpecifiedTradeAllowanceCharge');
    leaf(child(ac, RAM, 'ChargeIndicator'), UDT, 'Indicator', 'false');
    leaf(ac, RAM, 'ActualAmount', a.amount);
    leaf(ac, RAM, 'Reason', a.reason);
    tradeTax(ac, 'CategoryTradeTax', a.vat);
  }
  const terms = child(settlement, RAM, 'SpecifiedTradePaymentTerms');
  leaf(terms, RAM, 'Description', inv.paymentTerms);
  date(terms, 'DueDateDateTime', inv.dueDate);

  const t = child(settlement, RAM, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  leaf(t, RAM, 'LineTotalAmount', inv.totals.lineNet);
  leaf(t, RAM, 'AllowanceTotalAmount', inv.totals.allowances);
  leaf(t, RAM, 'TaxBasisTotalAmount', inv.totals.taxExclusive);
  leaf(t, RAM, 'TaxTotalAmount', inv.totals.taxTotal, { currencyID: inv.currency });
  leaf(t, RAM, 'GrandTotalAmount', inv.totals.taxInclusive);
  leaf(t, RAM, 'DuePayableAmount', inv.totals.payable);

  if (inv.precedingInvoice) {
    const ref = child(settlement, RAM, 'InvoiceReferencedDocument');
    leaf(ref, RAM, 'IssuerAssignedID', inv.precedingInvoice.number);
    if (inv.precedingInvoice.issueDate) {
      date(ref, 'FormattedIssueDateTime', inv.precedingInvoice.issueDate, QDT);
    }
  }
  return doc.end({ prettyPrint: true });
}
