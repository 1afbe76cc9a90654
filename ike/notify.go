package ike

import "fmt"

// NotifyType is a notify message type.
type NotifyType uint16

// Notify message types used by the responder (RFC 7296 section 3.10.1,
// RFC 7383, RFC 7427, RFC 4555).
const (
	NUnsupportedCriticalPayload NotifyType = 1
	NInvalidIKESPI              NotifyType = 4
	NInvalidMajorVersion        NotifyType = 5
	NInvalidSyntax              NotifyType = 7
	NInvalidMessageID           NotifyType = 9
	NInvalidSPI                 NotifyType = 11
	NNoProposalChosen           NotifyType = 14
	NInvalidKEPayload           NotifyType = 17
	NAuthenticationFailed       NotifyType = 24
	NInternalAddressFailure     NotifyType = 36
	NFailedCPRequired           NotifyType = 37
	NTSUnacceptable             NotifyType = 38
	NTemporaryFailure           NotifyType = 43
	NChildSANotFound            NotifyType = 44
	NInitialContact             NotifyType = 16384
	NNATDetectionSourceIP       NotifyType = 16388
	NNATDetectionDestinationIP  NotifyType = 16389
	NCookie                     NotifyType = 16390
	NUseTransportMode           NotifyType = 16391
	NESPTFCPaddingNotSupported  NotifyType = 16394
	NMobikeSupported            NotifyType = 16396
	NAdditionalIP4Address       NotifyType = 16397
	NAdditionalIP6Address       NotifyType = 16398
	NRedirectSupported          NotifyType = 16406
	NEAPOnlyAuthentication      NotifyType = 16417
	NMessageIDSyncSupported     NotifyType = 16420
	NFragmentationSupported     NotifyType = 16430
	NSignatureHashAlgorithms    NotifyType = 16431
)

var notifyNames = map[NotifyType]string{
	NUnsupportedCriticalPayload: "UNSUPPORTED_CRITICAL_PAYLOAD",
	NInvalidIKESPI:              "INVALID_IKE_SPI",
	NInvalidMajorVersion:        "INVALID_MAJOR_VERSION",
	NInvalidSyntax:              "INVALID_SYNTAX",
	NInvalidMessageID:           "INVALID_MESSAGE_ID",
	NInvalidSPI:                 "INVALID_SPI",
	NNoProposalChosen:           "NO_PROPOSAL_CHOSEN",
	NInvalidKEPayload:           "INVALID_KE_PAYLOAD",
	NAuthenticationFailed:       "AUTHENTICATION_FAILED",
	NInternalAddressFailure:     "INTERNAL_ADDRESS_FAILURE",
	NFailedCPRequired:           "FAILED_CP_REQUIRED",
	NTSUnacceptable:             "TS_UNACCEPTABLE",
	NTemporaryFailure:           "TEMPORARY_FAILURE",
	NChildSANotFound:            "CHILD_SA_NOT_FOUND",
	NNoAdditionalSAs:            "NO_ADDITIONAL_SAS",
	NRekeySA:                    "REKEY_SA",
	NInitialContact:             "INITIAL_CONTACT",
	NNATDetectionSourceIP:       "NAT_DETECTION_SOURCE_IP",
	NNATDetectionDestinationIP:  "NAT_DETECTION_DESTINATION_IP",
	NCookie:                     "COOKIE",
	NUseTransportMode:           "USE_TRANSPORT_MODE",
	NESPTFCPaddingNotSupported:  "ESP_TFC_PADDING_NOT_SUPPORTED",
	NMobikeSupported:            "MOBIKE_SUPPORTED",
	NAdditionalIP4Address:       "ADDITIONAL_IP4_ADDRESS",
	NAdditionalIP6Address:       "ADDITIONAL_IP6_ADDRESS",
	NRedirectSupported:          "REDIRECT_SUPPORTED",
	NEAPOnlyAuthentication:      "EAP_ONLY_AUTHENTICATION",
	NMessageIDSyncSupported:     "IKEV2_MESSAGE_ID_SYNC_SUPPORTED",
	NFragmentationSupported:     "IKEV2_FRAGMENTATION_SUPPORTED",
	NSignatureHashAlgorithms:    "SIGNATURE_HASH_ALGORITHMS",
}

// String returns the notify name as RFC 7296 spells it.
func (n NotifyType) String() string {
	if s, ok := notifyNames[n]; ok {
		return s
	}
	return fmt.Sprintf("NOTIFY_%d", uint16(n))
}

// IsError reports whether n is an error notify (types below 16384).
func (n NotifyType) IsError() bool { return n < 16384 }

// find returns the first payload of type T in ps.
func find[T Payload](ps []Payload) (T, bool) {
	for _, p := range ps {
		if v, ok := p.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// findNotify returns the first notify of type t in ps.
func findNotify(ps []Payload, t NotifyType) (*Notify, bool) {
	for _, p := range ps {
		if n, ok := p.(*Notify); ok && n.NType == t {
			return n, true
		}
	}
	return nil, false
}
