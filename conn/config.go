package conn

// Config is one connection as loaded with load-conn, defaults applied.
type Config struct {
	Name        string
	Version     uint32 // 0 = any, 1, 2; other numbers are kept as given
	LocalAddrs  []string
	RemoteAddrs []string
	LocalPort   uint16
	RemotePort  uint16
	Proposals   []string
	Vips        []string
	Aggressive  bool
	Pull        bool
	DSCP        uint8
	Encap       bool
	Mobike      bool
	DPDDelay    uint64 // seconds
	DPDTimeout  uint64 // seconds
	// Fragmentation is yes, accept, no or force.
	Fragmentation string
	// Childless is allow, force, never or prefer.
	Childless   string
	SendCertReq bool
	// SendCert is ifasked, always or never.
	SendCert string
	// OCSP is never, reply, request or both.
	OCSP        string
	PPKID       string
	PPKRequired bool
	Keyingtries uint32
	// Unique is never, no, keep or replace.
	Unique     string
	ReauthTime uint64 // seconds
	RekeyTime  uint64
	OverTime   uint64
	RandTime   uint64
	Pools      []string
	IfIDIn     IfID
	IfIDOut    IfID
	Mediation  bool

	Local    []Auth // in round order
	Remote   []Auth
	Children []Child // in load order
}

// Child returns the child configuration of that name, or nil.
func (c *Config) Child(name string) *Child {
	for i := range c.Children {
		if c.Children[i].Name == name {
			return &c.Children[i]
		}
	}
	return nil
}

// AuthClass is the kind of authentication an auth round uses.
type AuthClass string

// Authentication classes, named as list-conn prints them.
const (
	AuthNone   AuthClass = ""
	AuthPubkey AuthClass = "public key"
	AuthPSK    AuthClass = "pre-shared key"
	AuthEAP    AuthClass = "EAP"
	AuthXAuth  AuthClass = "XAuth"
)

// Rule names one listed setting of an auth round; Auth.Rules keeps them in
// the order they were set, which decides the order list-conn prints them.
type Rule string

// Listed auth round settings.
const (
	RuleClass      Rule = "class"
	RuleEAPType    Rule = "eap-type"
	RuleEAPVendor  Rule = "eap-vendor"
	RuleXAuth      Rule = "xauth"
	RuleRevocation Rule = "revocation"
	RuleID         Rule = "id"
	RuleCAID       Rule = "ca_id"
	RuleAAAID      Rule = "aaa_id"
	RuleEAPID      Rule = "eap_id"
	RuleXAuthID    Rule = "xauth_id"
)

// Auth is one authentication round (local or remote).
type Auth struct {
	Round uint32
	// Auth is the auth value as given (method and signature constraints).
	Auth         string
	Class        AuthClass
	EAPType      uint32 // 0 = any method
	EAPVendor    uint32
	XAuthBackend string
	ID           string // normalised; "" when not set
	EAPID        string
	AAAID        string
	XAuthID      string
	CAID         string
	// Revocation is strict, ifuri or relaxed ("" = default relaxed).
	Revocation string
	Groups     []string
	CertPolicy []string
	Certs      []Cert // certificates and raw public keys
	CACerts    []Cert
	Rules      []Rule
}

// Action is a start, close or DPD action; Trap and Start combine.
type Action uint8

// Actions.
const (
	ActionNone  Action = 0
	ActionTrap  Action = 1
	ActionStart Action = 2
)

// String returns none, trap, start or trap|start.
func (a Action) String() string {
	switch a {
	case ActionTrap:
		return "trap"
	case ActionStart:
		return "start"
	case ActionTrap | ActionStart:
		return "trap|start"
	}
	return "none"
}

// Child is one CHILD_SA configuration.
type Child struct {
	Name         string
	AHProposals  []string
	ESPProposals []string
	LocalTS      []TS
	RemoteTS     []TS
	RekeyTime    uint64
	LifeTime     uint64
	RandTime     uint64
	RekeyBytes   uint64
	LifeBytes    uint64
	RandBytes    uint64
	RekeyPackets uint64
	LifePackets  uint64
	RandPackets  uint64
	Updown       string
	Hostaccess   bool
	// Mode is tunnel, transport, transport_proxy, beet, pass, drop or iptfs.
	Mode           string
	Policies       bool
	PoliciesFwdOut bool
	DPDAction      Action
	IPComp         bool
	Inactivity     uint64
	Reqid          uint32
	Priority       uint32
	Interface      string
	MarkIn         Mark
	MarkOut        Mark
	MarkInSA       bool
	SetMarkIn      Mark
	SetMarkOut     Mark
	IfIDIn         IfID
	IfIDOut        IfID
	Label          string
	LabelMode      string
	TFCPadding     uint32 // 0xffffffff = mtu
	ReplayWindow   uint32
	PerCPUSAs      string // no, yes or encap
	HWOffload      string // no, yes, auto, crypto, packet
	CopyDF         bool
	CopyECN        bool
	CopyDSCP       string // no, in, out, yes
	ICMP           bool
	SHA256_96      bool
	StartAction    Action
	CloseAction    Action
}
