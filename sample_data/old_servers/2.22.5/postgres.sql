--
-- PostgreSQL database dump
--

-- Dumped from database version 16.2
-- Dumped by pg_dump version 16.2

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: datasets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.datasets (
    dataset_uuid character varying(36) NOT NULL,
    experiment_id integer NOT NULL,
    name character varying(500) NOT NULL,
    digest character varying(36) NOT NULL,
    dataset_source_type character varying(36) NOT NULL,
    dataset_source text NOT NULL,
    dataset_schema text,
    dataset_profile text
);


--
-- Name: experiment_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.experiment_tags (
    key character varying(250) NOT NULL,
    value character varying(5000),
    experiment_id integer NOT NULL
);


--
-- Name: experiments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.experiments (
    experiment_id integer NOT NULL,
    name character varying(256) NOT NULL,
    artifact_location character varying(256),
    lifecycle_stage character varying(32),
    creation_time bigint,
    last_update_time bigint,
    CONSTRAINT experiments_lifecycle_stage CHECK (((lifecycle_stage)::text = ANY ((ARRAY['active'::character varying, 'deleted'::character varying])::text[])))
);


--
-- Name: experiments_experiment_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.experiments_experiment_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: experiments_experiment_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.experiments_experiment_id_seq OWNED BY public.experiments.experiment_id;


--
-- Name: input_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.input_tags (
    input_uuid character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    value character varying(500) NOT NULL
);


--
-- Name: inputs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inputs (
    input_uuid character varying(36) NOT NULL,
    source_type character varying(36) NOT NULL,
    source_id character varying(36) NOT NULL,
    destination_type character varying(36) NOT NULL,
    destination_id character varying(36) NOT NULL
);


--
-- Name: latest_metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.latest_metrics (
    key character varying(250) NOT NULL,
    value double precision NOT NULL,
    "timestamp" bigint,
    step bigint NOT NULL,
    is_nan boolean NOT NULL,
    run_uuid character varying(32) NOT NULL
);


--
-- Name: metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.metrics (
    key character varying(250) NOT NULL,
    value double precision NOT NULL,
    "timestamp" bigint NOT NULL,
    run_uuid character varying(32) NOT NULL,
    step bigint DEFAULT '0'::bigint NOT NULL,
    is_nan boolean DEFAULT false NOT NULL
);


--
-- Name: model_version_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.model_version_tags (
    key character varying(250) NOT NULL,
    value character varying(5000),
    name character varying(256) NOT NULL,
    version integer NOT NULL
);


--
-- Name: model_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.model_versions (
    name character varying(256) NOT NULL,
    version integer NOT NULL,
    creation_time bigint,
    last_updated_time bigint,
    description character varying(5000),
    user_id character varying(256),
    current_stage character varying(20),
    source character varying(500),
    run_id character varying(32),
    status character varying(20),
    status_message character varying(500),
    run_link character varying(500),
    storage_location character varying(500)
);


--
-- Name: params; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.params (
    key character varying(250) NOT NULL,
    value character varying(8000) NOT NULL,
    run_uuid character varying(32) NOT NULL
);


--
-- Name: registered_model_aliases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_model_aliases (
    alias character varying(256) NOT NULL,
    version integer NOT NULL,
    name character varying(256) NOT NULL
);


--
-- Name: registered_model_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_model_tags (
    key character varying(250) NOT NULL,
    value character varying(5000),
    name character varying(256) NOT NULL
);


--
-- Name: registered_models; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_models (
    name character varying(256) NOT NULL,
    creation_time bigint,
    last_updated_time bigint,
    description character varying(5000)
);


--
-- Name: runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.runs (
    run_uuid character varying(32) NOT NULL,
    name character varying(250),
    source_type character varying(20),
    source_name character varying(500),
    entry_point_name character varying(50),
    user_id character varying(256),
    status character varying(9),
    start_time bigint,
    end_time bigint,
    source_version character varying(50),
    lifecycle_stage character varying(20),
    artifact_uri character varying(200),
    experiment_id integer,
    deleted_time bigint,
    CONSTRAINT runs_lifecycle_stage CHECK (((lifecycle_stage)::text = ANY ((ARRAY['active'::character varying, 'deleted'::character varying])::text[]))),
    CONSTRAINT runs_status_check CHECK (((status)::text = ANY ((ARRAY['SCHEDULED'::character varying, 'FAILED'::character varying, 'FINISHED'::character varying, 'RUNNING'::character varying, 'KILLED'::character varying])::text[]))),
    CONSTRAINT source_type CHECK (((source_type)::text = ANY ((ARRAY['NOTEBOOK'::character varying, 'JOB'::character varying, 'LOCAL'::character varying, 'UNKNOWN'::character varying, 'PROJECT'::character varying])::text[])))
);


--
-- Name: tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tags (
    key character varying(250) NOT NULL,
    value character varying(8000),
    run_uuid character varying(32) NOT NULL
);


--
-- Name: trace_info; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_info (
    request_id character varying(50) NOT NULL,
    experiment_id integer NOT NULL,
    timestamp_ms bigint NOT NULL,
    execution_time_ms bigint,
    status character varying(50) NOT NULL
);


--
-- Name: trace_request_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_request_metadata (
    key character varying(250) NOT NULL,
    value character varying(8000),
    request_id character varying(50) NOT NULL
);


--
-- Name: trace_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_tags (
    key character varying(250) NOT NULL,
    value character varying(8000),
    request_id character varying(50) NOT NULL
);


--
-- Name: experiments experiment_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiments ALTER COLUMN experiment_id SET DEFAULT nextval('public.experiments_experiment_id_seq'::regclass);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alembic_version VALUES ('0584bdc529eb');


--
-- Data for Name: datasets; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: experiment_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.experiment_tags VALUES ('team', 'old', 1);


--
-- Data for Name: experiments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.experiments VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', 1796301536604, 1796301536604);
INSERT INTO public.experiments VALUES (1, 'shared', 'mlflow-artifacts:/1', 'active', 1796301542859, 1796301542859);
INSERT INTO public.experiments VALUES (2, 'private', 'mlflow-artifacts:/2', 'active', 1796301543164, 1796301543164);


--
-- Data for Name: input_tags; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: inputs; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: latest_metrics; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.latest_metrics VALUES ('loss', 0.047619047619047616, 1700000000019, 19, false, 'bdb27b3105d9446dac3538ab3fed72a9');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, 'bdb27b3105d9446dac3538ab3fed72a9');
INSERT INTO public.latest_metrics VALUES ('loss', 0.043478260869565216, 1700000000019, 19, false, '518e8e8d42464c2da1cd3174368a0101');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '518e8e8d42464c2da1cd3174368a0101');
INSERT INTO public.latest_metrics VALUES ('loss', 0.05, 1700000000019, 19, false, '4a54fc0e4ebf4c8c870c26249f322f33');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '4a54fc0e4ebf4c8c870c26249f322f33');
INSERT INTO public.latest_metrics VALUES ('loss', 0.04, 1700000000019, 19, false, 'b853dd7bf849426182c33cd13780852f');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, 'b853dd7bf849426182c33cd13780852f');
INSERT INTO public.latest_metrics VALUES ('loss', 0.045454545454545456, 1700000000019, 19, false, 'd5e104b32cd24a1ca32c8a07e4d2a263');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, 'd5e104b32cd24a1ca32c8a07e4d2a263');
INSERT INTO public.latest_metrics VALUES ('loss', 0.041666666666666664, 1700000000019, 19, false, 'a70d1dbd804d44e6bef6527738fbedc0');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, 'a70d1dbd804d44e6bef6527738fbedc0');


--
-- Data for Name: metrics; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.metrics VALUES ('loss', 1, 1700000000000, '4a54fc0e4ebf4c8c870c26249f322f33', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '4a54fc0e4ebf4c8c870c26249f322f33', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.5, 1700000000001, '4a54fc0e4ebf4c8c870c26249f322f33', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '4a54fc0e4ebf4c8c870c26249f322f33', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.3333333333333333, 1700000000002, '4a54fc0e4ebf4c8c870c26249f322f33', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '4a54fc0e4ebf4c8c870c26249f322f33', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000003, '4a54fc0e4ebf4c8c870c26249f322f33', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '4a54fc0e4ebf4c8c870c26249f322f33', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000004, '4a54fc0e4ebf4c8c870c26249f322f33', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '4a54fc0e4ebf4c8c870c26249f322f33', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000005, '4a54fc0e4ebf4c8c870c26249f322f33', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '4a54fc0e4ebf4c8c870c26249f322f33', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000006, '4a54fc0e4ebf4c8c870c26249f322f33', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '4a54fc0e4ebf4c8c870c26249f322f33', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000007, '4a54fc0e4ebf4c8c870c26249f322f33', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '4a54fc0e4ebf4c8c870c26249f322f33', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000008, '4a54fc0e4ebf4c8c870c26249f322f33', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '4a54fc0e4ebf4c8c870c26249f322f33', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000009, '4a54fc0e4ebf4c8c870c26249f322f33', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '4a54fc0e4ebf4c8c870c26249f322f33', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000010, '4a54fc0e4ebf4c8c870c26249f322f33', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '4a54fc0e4ebf4c8c870c26249f322f33', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000011, '4a54fc0e4ebf4c8c870c26249f322f33', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '4a54fc0e4ebf4c8c870c26249f322f33', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000012, '4a54fc0e4ebf4c8c870c26249f322f33', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '4a54fc0e4ebf4c8c870c26249f322f33', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000013, '4a54fc0e4ebf4c8c870c26249f322f33', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '4a54fc0e4ebf4c8c870c26249f322f33', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000014, '4a54fc0e4ebf4c8c870c26249f322f33', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '4a54fc0e4ebf4c8c870c26249f322f33', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000015, '4a54fc0e4ebf4c8c870c26249f322f33', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '4a54fc0e4ebf4c8c870c26249f322f33', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000016, '4a54fc0e4ebf4c8c870c26249f322f33', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '4a54fc0e4ebf4c8c870c26249f322f33', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000017, '4a54fc0e4ebf4c8c870c26249f322f33', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '4a54fc0e4ebf4c8c870c26249f322f33', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000018, '4a54fc0e4ebf4c8c870c26249f322f33', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '4a54fc0e4ebf4c8c870c26249f322f33', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000019, '4a54fc0e4ebf4c8c870c26249f322f33', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '4a54fc0e4ebf4c8c870c26249f322f33', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.5, 1700000000000, 'bdb27b3105d9446dac3538ab3fed72a9', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, 'bdb27b3105d9446dac3538ab3fed72a9', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.3333333333333333, 1700000000001, 'bdb27b3105d9446dac3538ab3fed72a9', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, 'bdb27b3105d9446dac3538ab3fed72a9', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000002, 'bdb27b3105d9446dac3538ab3fed72a9', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, 'bdb27b3105d9446dac3538ab3fed72a9', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000003, 'bdb27b3105d9446dac3538ab3fed72a9', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, 'bdb27b3105d9446dac3538ab3fed72a9', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000004, 'bdb27b3105d9446dac3538ab3fed72a9', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, 'bdb27b3105d9446dac3538ab3fed72a9', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000005, 'bdb27b3105d9446dac3538ab3fed72a9', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, 'bdb27b3105d9446dac3538ab3fed72a9', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000006, 'bdb27b3105d9446dac3538ab3fed72a9', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, 'bdb27b3105d9446dac3538ab3fed72a9', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000007, 'bdb27b3105d9446dac3538ab3fed72a9', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, 'bdb27b3105d9446dac3538ab3fed72a9', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000008, 'bdb27b3105d9446dac3538ab3fed72a9', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, 'bdb27b3105d9446dac3538ab3fed72a9', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000009, 'bdb27b3105d9446dac3538ab3fed72a9', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, 'bdb27b3105d9446dac3538ab3fed72a9', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000010, 'bdb27b3105d9446dac3538ab3fed72a9', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, 'bdb27b3105d9446dac3538ab3fed72a9', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000011, 'bdb27b3105d9446dac3538ab3fed72a9', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, 'bdb27b3105d9446dac3538ab3fed72a9', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000012, 'bdb27b3105d9446dac3538ab3fed72a9', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, 'bdb27b3105d9446dac3538ab3fed72a9', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000013, 'bdb27b3105d9446dac3538ab3fed72a9', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, 'bdb27b3105d9446dac3538ab3fed72a9', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000014, 'bdb27b3105d9446dac3538ab3fed72a9', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, 'bdb27b3105d9446dac3538ab3fed72a9', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000015, 'bdb27b3105d9446dac3538ab3fed72a9', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, 'bdb27b3105d9446dac3538ab3fed72a9', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000016, 'bdb27b3105d9446dac3538ab3fed72a9', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, 'bdb27b3105d9446dac3538ab3fed72a9', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000017, 'bdb27b3105d9446dac3538ab3fed72a9', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, 'bdb27b3105d9446dac3538ab3fed72a9', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000018, 'bdb27b3105d9446dac3538ab3fed72a9', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, 'bdb27b3105d9446dac3538ab3fed72a9', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000019, 'bdb27b3105d9446dac3538ab3fed72a9', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, 'bdb27b3105d9446dac3538ab3fed72a9', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.3333333333333333, 1700000000000, 'd5e104b32cd24a1ca32c8a07e4d2a263', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, 'd5e104b32cd24a1ca32c8a07e4d2a263', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000001, 'd5e104b32cd24a1ca32c8a07e4d2a263', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, 'd5e104b32cd24a1ca32c8a07e4d2a263', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000002, 'd5e104b32cd24a1ca32c8a07e4d2a263', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, 'd5e104b32cd24a1ca32c8a07e4d2a263', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000003, 'd5e104b32cd24a1ca32c8a07e4d2a263', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, 'd5e104b32cd24a1ca32c8a07e4d2a263', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000004, 'd5e104b32cd24a1ca32c8a07e4d2a263', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, 'd5e104b32cd24a1ca32c8a07e4d2a263', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000005, 'd5e104b32cd24a1ca32c8a07e4d2a263', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, 'd5e104b32cd24a1ca32c8a07e4d2a263', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000006, 'd5e104b32cd24a1ca32c8a07e4d2a263', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, 'd5e104b32cd24a1ca32c8a07e4d2a263', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000007, 'd5e104b32cd24a1ca32c8a07e4d2a263', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, 'd5e104b32cd24a1ca32c8a07e4d2a263', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000008, 'd5e104b32cd24a1ca32c8a07e4d2a263', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, 'd5e104b32cd24a1ca32c8a07e4d2a263', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000009, 'd5e104b32cd24a1ca32c8a07e4d2a263', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, 'd5e104b32cd24a1ca32c8a07e4d2a263', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000010, 'd5e104b32cd24a1ca32c8a07e4d2a263', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, 'd5e104b32cd24a1ca32c8a07e4d2a263', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000011, 'd5e104b32cd24a1ca32c8a07e4d2a263', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, 'd5e104b32cd24a1ca32c8a07e4d2a263', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000012, 'd5e104b32cd24a1ca32c8a07e4d2a263', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, 'd5e104b32cd24a1ca32c8a07e4d2a263', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000013, 'd5e104b32cd24a1ca32c8a07e4d2a263', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, 'd5e104b32cd24a1ca32c8a07e4d2a263', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000014, 'd5e104b32cd24a1ca32c8a07e4d2a263', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, 'd5e104b32cd24a1ca32c8a07e4d2a263', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000015, 'd5e104b32cd24a1ca32c8a07e4d2a263', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, 'd5e104b32cd24a1ca32c8a07e4d2a263', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000016, 'd5e104b32cd24a1ca32c8a07e4d2a263', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, 'd5e104b32cd24a1ca32c8a07e4d2a263', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000017, 'd5e104b32cd24a1ca32c8a07e4d2a263', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, 'd5e104b32cd24a1ca32c8a07e4d2a263', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000018, 'd5e104b32cd24a1ca32c8a07e4d2a263', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, 'd5e104b32cd24a1ca32c8a07e4d2a263', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000019, 'd5e104b32cd24a1ca32c8a07e4d2a263', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, 'd5e104b32cd24a1ca32c8a07e4d2a263', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000000, '518e8e8d42464c2da1cd3174368a0101', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '518e8e8d42464c2da1cd3174368a0101', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000001, '518e8e8d42464c2da1cd3174368a0101', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '518e8e8d42464c2da1cd3174368a0101', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000002, '518e8e8d42464c2da1cd3174368a0101', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '518e8e8d42464c2da1cd3174368a0101', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000003, '518e8e8d42464c2da1cd3174368a0101', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '518e8e8d42464c2da1cd3174368a0101', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000004, '518e8e8d42464c2da1cd3174368a0101', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '518e8e8d42464c2da1cd3174368a0101', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000005, '518e8e8d42464c2da1cd3174368a0101', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '518e8e8d42464c2da1cd3174368a0101', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000006, '518e8e8d42464c2da1cd3174368a0101', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '518e8e8d42464c2da1cd3174368a0101', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000007, '518e8e8d42464c2da1cd3174368a0101', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '518e8e8d42464c2da1cd3174368a0101', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000008, '518e8e8d42464c2da1cd3174368a0101', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '518e8e8d42464c2da1cd3174368a0101', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000009, '518e8e8d42464c2da1cd3174368a0101', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '518e8e8d42464c2da1cd3174368a0101', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000010, '518e8e8d42464c2da1cd3174368a0101', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '518e8e8d42464c2da1cd3174368a0101', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000011, '518e8e8d42464c2da1cd3174368a0101', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '518e8e8d42464c2da1cd3174368a0101', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000012, '518e8e8d42464c2da1cd3174368a0101', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '518e8e8d42464c2da1cd3174368a0101', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000013, '518e8e8d42464c2da1cd3174368a0101', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '518e8e8d42464c2da1cd3174368a0101', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000014, '518e8e8d42464c2da1cd3174368a0101', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '518e8e8d42464c2da1cd3174368a0101', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000015, '518e8e8d42464c2da1cd3174368a0101', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '518e8e8d42464c2da1cd3174368a0101', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000016, '518e8e8d42464c2da1cd3174368a0101', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '518e8e8d42464c2da1cd3174368a0101', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000017, '518e8e8d42464c2da1cd3174368a0101', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '518e8e8d42464c2da1cd3174368a0101', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000018, '518e8e8d42464c2da1cd3174368a0101', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '518e8e8d42464c2da1cd3174368a0101', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.043478260869565216, 1700000000019, '518e8e8d42464c2da1cd3174368a0101', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '518e8e8d42464c2da1cd3174368a0101', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000000, 'a70d1dbd804d44e6bef6527738fbedc0', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, 'a70d1dbd804d44e6bef6527738fbedc0', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000001, 'a70d1dbd804d44e6bef6527738fbedc0', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, 'a70d1dbd804d44e6bef6527738fbedc0', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000002, 'a70d1dbd804d44e6bef6527738fbedc0', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, 'a70d1dbd804d44e6bef6527738fbedc0', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000003, 'a70d1dbd804d44e6bef6527738fbedc0', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, 'a70d1dbd804d44e6bef6527738fbedc0', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000004, 'a70d1dbd804d44e6bef6527738fbedc0', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, 'a70d1dbd804d44e6bef6527738fbedc0', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000005, 'a70d1dbd804d44e6bef6527738fbedc0', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, 'a70d1dbd804d44e6bef6527738fbedc0', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000006, 'a70d1dbd804d44e6bef6527738fbedc0', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, 'a70d1dbd804d44e6bef6527738fbedc0', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000007, 'a70d1dbd804d44e6bef6527738fbedc0', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, 'a70d1dbd804d44e6bef6527738fbedc0', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000008, 'a70d1dbd804d44e6bef6527738fbedc0', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, 'a70d1dbd804d44e6bef6527738fbedc0', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000009, 'a70d1dbd804d44e6bef6527738fbedc0', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, 'a70d1dbd804d44e6bef6527738fbedc0', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000010, 'a70d1dbd804d44e6bef6527738fbedc0', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, 'a70d1dbd804d44e6bef6527738fbedc0', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000011, 'a70d1dbd804d44e6bef6527738fbedc0', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, 'a70d1dbd804d44e6bef6527738fbedc0', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000012, 'a70d1dbd804d44e6bef6527738fbedc0', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, 'a70d1dbd804d44e6bef6527738fbedc0', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000013, 'a70d1dbd804d44e6bef6527738fbedc0', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, 'a70d1dbd804d44e6bef6527738fbedc0', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000014, 'a70d1dbd804d44e6bef6527738fbedc0', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, 'a70d1dbd804d44e6bef6527738fbedc0', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000015, 'a70d1dbd804d44e6bef6527738fbedc0', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, 'a70d1dbd804d44e6bef6527738fbedc0', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000016, 'a70d1dbd804d44e6bef6527738fbedc0', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, 'a70d1dbd804d44e6bef6527738fbedc0', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000017, 'a70d1dbd804d44e6bef6527738fbedc0', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, 'a70d1dbd804d44e6bef6527738fbedc0', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.043478260869565216, 1700000000018, 'a70d1dbd804d44e6bef6527738fbedc0', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, 'a70d1dbd804d44e6bef6527738fbedc0', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.041666666666666664, 1700000000019, 'a70d1dbd804d44e6bef6527738fbedc0', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, 'a70d1dbd804d44e6bef6527738fbedc0', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000000, 'b853dd7bf849426182c33cd13780852f', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, 'b853dd7bf849426182c33cd13780852f', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000001, 'b853dd7bf849426182c33cd13780852f', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, 'b853dd7bf849426182c33cd13780852f', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000002, 'b853dd7bf849426182c33cd13780852f', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, 'b853dd7bf849426182c33cd13780852f', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000003, 'b853dd7bf849426182c33cd13780852f', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, 'b853dd7bf849426182c33cd13780852f', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000004, 'b853dd7bf849426182c33cd13780852f', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, 'b853dd7bf849426182c33cd13780852f', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000005, 'b853dd7bf849426182c33cd13780852f', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, 'b853dd7bf849426182c33cd13780852f', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000006, 'b853dd7bf849426182c33cd13780852f', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, 'b853dd7bf849426182c33cd13780852f', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000007, 'b853dd7bf849426182c33cd13780852f', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, 'b853dd7bf849426182c33cd13780852f', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000008, 'b853dd7bf849426182c33cd13780852f', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, 'b853dd7bf849426182c33cd13780852f', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000009, 'b853dd7bf849426182c33cd13780852f', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, 'b853dd7bf849426182c33cd13780852f', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000010, 'b853dd7bf849426182c33cd13780852f', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, 'b853dd7bf849426182c33cd13780852f', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000011, 'b853dd7bf849426182c33cd13780852f', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, 'b853dd7bf849426182c33cd13780852f', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000012, 'b853dd7bf849426182c33cd13780852f', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, 'b853dd7bf849426182c33cd13780852f', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000013, 'b853dd7bf849426182c33cd13780852f', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, 'b853dd7bf849426182c33cd13780852f', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000014, 'b853dd7bf849426182c33cd13780852f', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, 'b853dd7bf849426182c33cd13780852f', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000015, 'b853dd7bf849426182c33cd13780852f', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, 'b853dd7bf849426182c33cd13780852f', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000016, 'b853dd7bf849426182c33cd13780852f', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, 'b853dd7bf849426182c33cd13780852f', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.043478260869565216, 1700000000017, 'b853dd7bf849426182c33cd13780852f', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, 'b853dd7bf849426182c33cd13780852f', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.041666666666666664, 1700000000018, 'b853dd7bf849426182c33cd13780852f', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, 'b853dd7bf849426182c33cd13780852f', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.04, 1700000000019, 'b853dd7bf849426182c33cd13780852f', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, 'b853dd7bf849426182c33cd13780852f', 19, false);


--
-- Data for Name: model_version_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.model_version_tags VALUES ('validated', 'yes', 'shared-model', 1);


--
-- Data for Name: model_versions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.model_versions VALUES ('shared-model', 1, 1796301554016, 1796301554016, '', NULL, 'None', 'runs:/4a54fc0e4ebf4c8c870c26249f322f33/model', '4a54fc0e4ebf4c8c870c26249f322f33', 'READY', NULL, '', 'runs:/4a54fc0e4ebf4c8c870c26249f322f33/model');
INSERT INTO public.model_versions VALUES ('shared-model', 2, 1796301564530, 1796301564530, '', NULL, 'None', 'runs:/bdb27b3105d9446dac3538ab3fed72a9/model', 'bdb27b3105d9446dac3538ab3fed72a9', 'READY', NULL, '', 'runs:/bdb27b3105d9446dac3538ab3fed72a9/model');


--
-- Data for Name: params; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.params VALUES ('alpha', '0.0', '4a54fc0e4ebf4c8c870c26249f322f33');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '4a54fc0e4ebf4c8c870c26249f322f33');
INSERT INTO public.params VALUES ('alpha', '0.1', 'bdb27b3105d9446dac3538ab3fed72a9');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'bdb27b3105d9446dac3538ab3fed72a9');
INSERT INTO public.params VALUES ('alpha', '0.2', 'd5e104b32cd24a1ca32c8a07e4d2a263');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'd5e104b32cd24a1ca32c8a07e4d2a263');
INSERT INTO public.params VALUES ('alpha', '0.3', '518e8e8d42464c2da1cd3174368a0101');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '518e8e8d42464c2da1cd3174368a0101');
INSERT INTO public.params VALUES ('alpha', '0.4', 'a70d1dbd804d44e6bef6527738fbedc0');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'a70d1dbd804d44e6bef6527738fbedc0');
INSERT INTO public.params VALUES ('alpha', '0.5', 'b853dd7bf849426182c33cd13780852f');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'b853dd7bf849426182c33cd13780852f');


--
-- Data for Name: registered_model_aliases; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_model_aliases VALUES ('champion', 1, 'shared-model');


--
-- Data for Name: registered_model_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_model_tags VALUES ('stage', 'old', 'shared-model');


--
-- Data for Name: registered_models; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_models VALUES ('shared-model', 1796301543475, 1796301564530, '');


--
-- Data for Name: runs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.runs VALUES ('4a54fc0e4ebf4c8c870c26249f322f33', 'run-0', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796301543580, 1796301553378, '', 'active', 'mlflow-artifacts:/1/4a54fc0e4ebf4c8c870c26249f322f33/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('bdb27b3105d9446dac3538ab3fed72a9', 'run-1', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796301554027, 1796301563883, '', 'active', 'mlflow-artifacts:/1/bdb27b3105d9446dac3538ab3fed72a9/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('d5e104b32cd24a1ca32c8a07e4d2a263', 'run-2', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796301564536, 1796301574343, '', 'active', 'mlflow-artifacts:/1/d5e104b32cd24a1ca32c8a07e4d2a263/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('518e8e8d42464c2da1cd3174368a0101', 'run-3', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796301574765, 1796301583771, '', 'active', 'mlflow-artifacts:/1/518e8e8d42464c2da1cd3174368a0101/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('a70d1dbd804d44e6bef6527738fbedc0', 'run-4', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796301584191, 1796301593843, '', 'active', 'mlflow-artifacts:/1/a70d1dbd804d44e6bef6527738fbedc0/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('b853dd7bf849426182c33cd13780852f', 'run-5', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796301594247, 1796301604776, '', 'deleted', 'mlflow-artifacts:/1/b853dd7bf849426182c33cd13780852f/artifacts', 1, 1796301605789);


--
-- Data for Name: tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.tags VALUES ('i', '0', '4a54fc0e4ebf4c8c870c26249f322f33');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-0', '4a54fc0e4ebf4c8c870c26249f322f33');
INSERT INTO public.tags VALUES ('i', '1', 'bdb27b3105d9446dac3538ab3fed72a9');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-1', 'bdb27b3105d9446dac3538ab3fed72a9');
INSERT INTO public.tags VALUES ('i', '2', 'd5e104b32cd24a1ca32c8a07e4d2a263');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-2', 'd5e104b32cd24a1ca32c8a07e4d2a263');
INSERT INTO public.tags VALUES ('i', '3', '518e8e8d42464c2da1cd3174368a0101');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-3', '518e8e8d42464c2da1cd3174368a0101');
INSERT INTO public.tags VALUES ('i', '4', 'a70d1dbd804d44e6bef6527738fbedc0');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-4', 'a70d1dbd804d44e6bef6527738fbedc0');
INSERT INTO public.tags VALUES ('i', '5', 'b853dd7bf849426182c33cd13780852f');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-5', 'b853dd7bf849426182c33cd13780852f');


--
-- Data for Name: trace_info; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.trace_info VALUES ('945e3970c14c40f299e0dfe1ddee3718', 1, 1796301607192, NULL, 'IN_PROGRESS');
INSERT INTO public.trace_info VALUES ('7dc53b5762ce4cb88b94b40d7c8b6605', 1, 1796301607461, NULL, 'IN_PROGRESS');
INSERT INTO public.trace_info VALUES ('c9bcdb0a98544a5f9be553753499b6c0', 1, 1796301607671, NULL, 'IN_PROGRESS');


--
-- Data for Name: trace_request_metadata; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace_schema.version', '2', '945e3970c14c40f299e0dfe1ddee3718');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace_schema.version', '2', '7dc53b5762ce4cb88b94b40d7c8b6605');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace_schema.version', '2', 'c9bcdb0a98544a5f9be553753499b6c0');


--
-- Data for Name: trace_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.trace_tags VALUES ('mlflow.source.name', '/work/main/sample_data/make_old_server.py', '945e3970c14c40f299e0dfe1ddee3718');
INSERT INTO public.trace_tags VALUES ('mlflow.source.type', 'LOCAL', '945e3970c14c40f299e0dfe1ddee3718');
INSERT INTO public.trace_tags VALUES ('mlflow.traceName', 'agent-0', '945e3970c14c40f299e0dfe1ddee3718');
INSERT INTO public.trace_tags VALUES ('mlflow.artifactLocation', 'mlflow-artifacts:/1/traces/945e3970c14c40f299e0dfe1ddee3718/artifacts', '945e3970c14c40f299e0dfe1ddee3718');
INSERT INTO public.trace_tags VALUES ('mlflow.source.name', '/work/main/sample_data/make_old_server.py', '7dc53b5762ce4cb88b94b40d7c8b6605');
INSERT INTO public.trace_tags VALUES ('mlflow.source.type', 'LOCAL', '7dc53b5762ce4cb88b94b40d7c8b6605');
INSERT INTO public.trace_tags VALUES ('mlflow.traceName', 'agent-1', '7dc53b5762ce4cb88b94b40d7c8b6605');
INSERT INTO public.trace_tags VALUES ('mlflow.artifactLocation', 'mlflow-artifacts:/1/traces/7dc53b5762ce4cb88b94b40d7c8b6605/artifacts', '7dc53b5762ce4cb88b94b40d7c8b6605');
INSERT INTO public.trace_tags VALUES ('mlflow.source.name', '/work/main/sample_data/make_old_server.py', 'c9bcdb0a98544a5f9be553753499b6c0');
INSERT INTO public.trace_tags VALUES ('mlflow.source.type', 'LOCAL', 'c9bcdb0a98544a5f9be553753499b6c0');
INSERT INTO public.trace_tags VALUES ('mlflow.traceName', 'agent-2', 'c9bcdb0a98544a5f9be553753499b6c0');
INSERT INTO public.trace_tags VALUES ('mlflow.artifactLocation', 'mlflow-artifacts:/1/traces/c9bcdb0a98544a5f9be553753499b6c0/artifacts', 'c9bcdb0a98544a5f9be553753499b6c0');


--
-- Name: experiments_experiment_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.experiments_experiment_id_seq', 2, true);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: datasets dataset_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.datasets
    ADD CONSTRAINT dataset_pk PRIMARY KEY (experiment_id, name, digest);


--
-- Name: experiments experiment_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiments
    ADD CONSTRAINT experiment_pk PRIMARY KEY (experiment_id);


--
-- Name: experiment_tags experiment_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_tags
    ADD CONSTRAINT experiment_tag_pk PRIMARY KEY (key, experiment_id);


--
-- Name: experiments experiments_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiments
    ADD CONSTRAINT experiments_name_key UNIQUE (name);


--
-- Name: input_tags input_tags_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.input_tags
    ADD CONSTRAINT input_tags_pk PRIMARY KEY (input_uuid, name);


--
-- Name: inputs inputs_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inputs
    ADD CONSTRAINT inputs_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id);


--
-- Name: latest_metrics latest_metric_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.latest_metrics
    ADD CONSTRAINT latest_metric_pk PRIMARY KEY (key, run_uuid);


--
-- Name: metrics metric_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.metrics
    ADD CONSTRAINT metric_pk PRIMARY KEY (key, "timestamp", step, run_uuid, value, is_nan);


--
-- Name: model_versions model_version_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_versions
    ADD CONSTRAINT model_version_pk PRIMARY KEY (name, version);


--
-- Name: model_version_tags model_version_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_version_tags
    ADD CONSTRAINT model_version_tag_pk PRIMARY KEY (key, name, version);


--
-- Name: params param_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.params
    ADD CONSTRAINT param_pk PRIMARY KEY (key, run_uuid);


--
-- Name: registered_model_aliases registered_model_alias_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_aliases
    ADD CONSTRAINT registered_model_alias_pk PRIMARY KEY (name, alias);


--
-- Name: registered_models registered_model_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_models
    ADD CONSTRAINT registered_model_pk PRIMARY KEY (name);


--
-- Name: registered_model_tags registered_model_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_tags
    ADD CONSTRAINT registered_model_tag_pk PRIMARY KEY (key, name);


--
-- Name: runs run_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runs
    ADD CONSTRAINT run_pk PRIMARY KEY (run_uuid);


--
-- Name: tags tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tag_pk PRIMARY KEY (key, run_uuid);


--
-- Name: trace_info trace_info_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_info
    ADD CONSTRAINT trace_info_pk PRIMARY KEY (request_id);


--
-- Name: trace_request_metadata trace_request_metadata_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_request_metadata
    ADD CONSTRAINT trace_request_metadata_pk PRIMARY KEY (key, request_id);


--
-- Name: trace_tags trace_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_tags
    ADD CONSTRAINT trace_tag_pk PRIMARY KEY (key, request_id);


--
-- Name: index_datasets_dataset_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_datasets_dataset_uuid ON public.datasets USING btree (dataset_uuid);


--
-- Name: index_datasets_experiment_id_dataset_source_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_datasets_experiment_id_dataset_source_type ON public.datasets USING btree (experiment_id, dataset_source_type);


--
-- Name: index_inputs_destination_type_destination_id_source_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_inputs_destination_type_destination_id_source_type ON public.inputs USING btree (destination_type, destination_id, source_type);


--
-- Name: index_inputs_input_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_inputs_input_uuid ON public.inputs USING btree (input_uuid);


--
-- Name: index_latest_metrics_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_latest_metrics_run_uuid ON public.latest_metrics USING btree (run_uuid);


--
-- Name: index_metrics_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_metrics_run_uuid ON public.metrics USING btree (run_uuid);


--
-- Name: index_params_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_params_run_uuid ON public.params USING btree (run_uuid);


--
-- Name: index_tags_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_tags_run_uuid ON public.tags USING btree (run_uuid);


--
-- Name: index_trace_info_experiment_id_timestamp_ms; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_trace_info_experiment_id_timestamp_ms ON public.trace_info USING btree (experiment_id, timestamp_ms);


--
-- Name: index_trace_request_metadata_request_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_trace_request_metadata_request_id ON public.trace_request_metadata USING btree (request_id);


--
-- Name: index_trace_tags_request_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_trace_tags_request_id ON public.trace_tags USING btree (request_id);


--
-- Name: experiment_tags experiment_tags_experiment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_tags
    ADD CONSTRAINT experiment_tags_experiment_id_fkey FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: datasets fk_datasets_experiment_id_experiments; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.datasets
    ADD CONSTRAINT fk_datasets_experiment_id_experiments FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id) ON DELETE CASCADE;


--
-- Name: trace_info fk_trace_info_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_info
    ADD CONSTRAINT fk_trace_info_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: trace_request_metadata fk_trace_request_metadata_request_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_request_metadata
    ADD CONSTRAINT fk_trace_request_metadata_request_id FOREIGN KEY (request_id) REFERENCES public.trace_info(request_id) ON DELETE CASCADE;


--
-- Name: trace_tags fk_trace_tags_request_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_tags
    ADD CONSTRAINT fk_trace_tags_request_id FOREIGN KEY (request_id) REFERENCES public.trace_info(request_id) ON DELETE CASCADE;


--
-- Name: latest_metrics latest_metrics_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.latest_metrics
    ADD CONSTRAINT latest_metrics_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- Name: metrics metrics_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.metrics
    ADD CONSTRAINT metrics_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- Name: model_version_tags model_version_tags_name_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_version_tags
    ADD CONSTRAINT model_version_tags_name_version_fkey FOREIGN KEY (name, version) REFERENCES public.model_versions(name, version) ON UPDATE CASCADE;


--
-- Name: model_versions model_versions_name_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_versions
    ADD CONSTRAINT model_versions_name_fkey FOREIGN KEY (name) REFERENCES public.registered_models(name) ON UPDATE CASCADE;


--
-- Name: params params_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.params
    ADD CONSTRAINT params_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- Name: registered_model_aliases registered_model_alias_name_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_aliases
    ADD CONSTRAINT registered_model_alias_name_fkey FOREIGN KEY (name) REFERENCES public.registered_models(name) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: registered_model_tags registered_model_tags_name_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_tags
    ADD CONSTRAINT registered_model_tags_name_fkey FOREIGN KEY (name) REFERENCES public.registered_models(name) ON UPDATE CASCADE;


--
-- Name: runs runs_experiment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_experiment_id_fkey FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: tags tags_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tags_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- PostgreSQL database dump complete
--

